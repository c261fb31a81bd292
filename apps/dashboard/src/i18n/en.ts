import { admin } from './en/admin.js';
import { app } from './en/app.js';
import { automation } from './en/automation.js';
import { cost } from './en/cost.js';
import { sessions } from './en/sessions.js';

/**
 * English, the reference catalog: every other language has exactly these keys (a unit test checks,
 * with the same `{placeholders}`). Keys are `area.what`; plurals are `x.one` / `x.other`.
 */
export const en = {
  ...app,
  ...sessions,
  ...automation,
  ...admin,
  ...cost,
} as const satisfies Record<string, string>;
