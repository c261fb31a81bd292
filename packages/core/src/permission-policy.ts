import type { PermissionRequest } from './driver.js';
import type { Session } from './schemas.js';

/** What a policy says about one permission request. */
export type PermissionVerdict = {
  decision: 'allow' | 'deny' | 'ask';
  rule: string;
  scope?: 'once' | 'always';
};

/** Server-side policy: answers a permission request before a human is asked (`ask` or undefined defers). */
export type PermissionPolicy = (context: {
  session: Session;
  request: PermissionRequest;
}) => PermissionVerdict | undefined | Promise<PermissionVerdict | undefined>;
