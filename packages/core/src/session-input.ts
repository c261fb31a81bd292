import { z } from 'zod';
import { Budget } from './budget.js';
import { SessionEnv, TemplateVariables } from './orchestration/schemas.js';
import { PermissionMode, PolicyRule, SandboxRequest } from './schemas.js';

/**
 * What starting a session takes, defined once: the engine's `sessions.create`, templates, batches,
 * pipelines and routines use the inferred types, and the server's `CreateSessionRequest` is this
 * schema (the OpenAPI document, and so the clients and MCP tool inputs, come from it).
 */
export const SessionSpecInput = z.object({
  workDir: z
    .string()
    .max(4096)
    .min(1)
    .describe('Absolute path of an existing directory inside the allowed directories'),
  name: z.string().max(200).optional(),
  prompt: z
    .string()
    .max(100_000)
    .optional()
    .describe('First prompt; delivered as soon as the agent is ready'),
  permissionMode: PermissionMode.optional(),
  model: z.string().max(200).optional(),
  agent: z.string().max(100).optional().describe('A configured ACP agent; default claude-code'),
  env: SessionEnv.optional(),
  parentId: z.string().max(100).optional(),
  policies: z
    .array(PolicyRule)
    .max(100)
    .optional()
    .describe(
      "Permission rules for this session (first match wins). The server's rules are a ceiling: the stricter of the two verdicts applies (deny over ask over allow), so these can narrow but never lift a server deny or ask",
    ),
  templateId: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Start from a template (id, or the name of a template you can see); fields given here override the template',
    ),
  variables: TemplateVariables.optional(),
  sandbox: SandboxRequest.optional().describe(
    'Run the agent sandboxed: only its workDir (and `writablePaths`) writable, a private HOME, nothing else of the host visible, network only to the model and `allowedHosts` (see docs/security.md, "Sandboxed sessions"). The server’s `sandbox.mode` may sandbox sessions that do not ask, or require it',
  ),
  budget: Budget.optional().describe(
    'Spending limits: at 80 % of one a `budget.warning` event; past it the running turn is cancelled (`budget.exceeded`) and prompts get 429 `BUDGET_EXCEEDED` until the budget is raised (PATCH /v1/sessions/{id}). Overrides the template’s',
  ),
  reuse: z
    .boolean()
    .optional()
    .describe(
      'Whether an idle session of yours already working in `workDir` may answer this request (default true; the response says `reused: true`). `false` always starts a new session.',
    ),
});
/** A session spec that may name a template (`templateId`, with `variables` for its prompt); explicit fields override the template's. */
export type SessionSpecInput = z.infer<typeof SessionSpecInput>;

/**
 * A session spec with any template already applied (`templates.resolve`): what `sessions.create`
 * takes. `templateId` then names the template the session was made from (what usage groups by).
 */
export const CreateSessionInput = SessionSpecInput.omit({ variables: true });
export type CreateSessionInput = z.infer<typeof CreateSessionInput>;

/** Who calls: every sessions-API method takes one (the server derives it from the credential). */
export const Actor = z.object({
  /** Owner identity (an API key id); `null` for the unauthenticated local user. */
  id: z.string().nullable(),
  /** Admins see every owner's sessions. */
  admin: z.boolean().optional(),
  /** The caller's role when authenticated by an API key (`admin`, `operator`, `viewer`). */
  role: z.string().optional(),
  /**
   * Another node forwarded this request here (cluster): it is handled on this node or refused,
   * never sent on again.
   */
  forwarded: z.boolean().optional(),
  /**
   * A person signed in through the identity provider (OIDC): the id is then `oidc:<subject>`, and
   * this says who they are (shown in the audit log and the dashboard).
   */
  person: z
    .object({ subject: z.string(), email: z.string().optional(), name: z.string().optional() })
    .optional(),
});
export type Actor = z.infer<typeof Actor>;
