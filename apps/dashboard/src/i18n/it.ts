import type { Catalog } from './index.js';
import { admin } from './it/admin.js';
import { app } from './it/app.js';
import { automation } from './it/automation.js';
import { cost } from './it/cost.js';
import { sessions } from './it/sessions.js';

/** Italiano: the same keys as `en.ts` (a unit test checks keys and placeholders). */
export const it: Catalog = {
  ...app,
  ...sessions,
  ...automation,
  ...admin,
  ...cost,
};
