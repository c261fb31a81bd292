import type { ApiKeyRole, SessionAction } from '@aegis/core';

/** Who may call an operation: `public` (anyone, no credential) or the roles allowed. */
export type PermissionRule = 'public' | readonly ApiKeyRole[];

const ALL = Object.freeze(['admin', 'operator', 'viewer'] as const);
const DRIVE = Object.freeze(['admin', 'operator'] as const);
const ADMIN = Object.freeze(['admin'] as const);

/**
 * The permission matrix, keyed by operationId. Every route must have a row: the auth middleware
 * denies an operation with no rule (fail closed), and `permissions.test.ts` walks `openapi.json`
 * to make sure none is missing. `docs/security.md` renders this table (kept in sync by a test).
 *
 * - `viewer` reads sessions it owns (transcripts, events, metrics) and shared resources.
 * - `operator` also creates and drives its own sessions (send, approve/reject, interrupt, kill).
 * - `admin` does everything, sees every owner's sessions, manages keys, policies and the audit log.
 */
export const PERMISSIONS: Readonly<Record<string, PermissionRule>> = Object.freeze({
  // Server
  getHealth: 'public',
  handshake: ALL,
  getMetrics: ALL,
  getMetricsV1: ALL,
  getDiagnostics: ADMIN,
  listNodes: ALL,
  // Sessions
  createSession: DRIVE,
  batchCreateSessions: DRIVE,
  batchDeleteSessions: DRIVE,
  listSessions: ALL,
  getSession: ALL,
  killSession: DRIVE,
  sendMessage: DRIVE,
  sendInput: DRIVE,
  sendPrompt: DRIVE,
  interruptSession: DRIVE,
  escapeSession: DRIVE,
  setMode: DRIVE,
  updateSession: DRIVE,
  answerQuestion: DRIVE,
  discoverCommands: ALL,
  getSessionHealth: ALL,
  getSessionSummary: ALL,
  getSessionMetrics: ALL,
  getSessionLatency: ALL,
  capturePane: ALL,
  takeScreenshot: DRIVE,
  // Permissions
  approvePermission: DRIVE,
  rejectPermission: DRIVE,
  getPermissionPolicies: DRIVE,
  setPermissionPolicies: ADMIN,
  // Transcript and events
  readSession: ALL,
  getTranscriptPage: ALL,
  streamSessionEvents: ALL,
  streamEvents: ADMIN,
  // Orchestration
  listTemplates: ALL,
  getTemplate: ALL,
  createTemplate: DRIVE,
  updateTemplate: DRIVE,
  deleteTemplate: DRIVE,
  listMemory: ALL,
  getMemory: ALL,
  setMemory: DRIVE,
  setMemoryEntry: DRIVE,
  deleteMemory: DRIVE,
  createPipeline: DRIVE,
  listPipelines: ALL,
  getPipeline: ALL,
  // Usage
  getUsage: ALL,
  getAnalyticsSummary: ALL,
  getAnalyticsCosts: ALL,
  getAnalyticsTokens: ALL,
  getAnalyticsRateLimits: ALL,
  // Routines
  createRoutine: DRIVE,
  listRoutines: ALL,
  previewRoutineSchedule: ALL,
  getRoutine: ALL,
  updateRoutine: DRIVE,
  deleteRoutine: DRIVE,
  pauseRoutine: DRIVE,
  resumeRoutine: DRIVE,
  runRoutine: DRIVE,
  listRoutineRuns: ALL,
  // Security
  createApiKey: ADMIN,
  listApiKeys: ADMIN,
  revokeApiKey: ADMIN,
  rotateApiKey: ADMIN,
  createSseToken: ALL,
  getOidcSettings: 'public',
  getWhoami: ALL,
  listPeople: ADMIN,
  queryAudit: ADMIN,
  // Channels (the callbacks check the channel's own secret or signature)
  listChannels: ALL,
  testChannel: ADMIN,
  telegramWebhook: 'public',
  slackInteractivity: 'public',
});

/** The two routes that accept a `?token=` minted by `createSseToken` (and only that kind of token). */
export const SSE_OPERATIONS: ReadonlySet<string> = new Set(['streamSessionEvents', 'streamEvents']);

/** Operations that start live sessions, checked against the concurrent-session caps. */
export const SESSION_STARTING_OPERATIONS: ReadonlySet<string> = new Set([
  'createSession',
  'batchCreateSessions',
  'createPipeline',
]);

export function isAllowed(rule: PermissionRule | undefined, role: string | undefined): boolean {
  if (rule === undefined) return false;
  if (rule === 'public') return true;
  return role !== undefined && (rule as readonly string[]).includes(role);
}

/** The operation behind each session action that `GET /v1/sessions/{id}` and `…/health` offer. */
export const ACTION_OPERATIONS: Readonly<Record<SessionAction, string>> = Object.freeze({
  send: 'sendMessage',
  interrupt: 'interruptSession',
  approve: 'approvePermission',
  reject: 'rejectPermission',
  answer: 'answerQuestion',
  escape: 'escapeSession',
  mode: 'setMode',
  kill: 'killSession',
});

/** The actions a caller with `role` may take (a viewer sees the state, but no actions to drive it). */
export function allowedActions(actions: readonly SessionAction[], role: string | undefined): SessionAction[] {
  return actions.filter((a) => isAllowed(PERMISSIONS[ACTION_OPERATIONS[a]], role));
}

/** The matrix as a Markdown table (docs/security.md embeds it; a test keeps the two in sync). */
export function permissionTable(): string {
  const roles = ['admin', 'operator', 'viewer'] as const;
  const rows = Object.entries(PERMISSIONS).map(([op, rule]) => {
    const cells = roles.map((r) => (rule === 'public' || isAllowed(rule, r) ? 'yes' : '—'));
    return `| \`${op}\` | ${cells.join(' | ')} | ${rule === 'public' ? 'yes' : '—'} |`;
  });
  return ['| operation | admin | operator | viewer | no key |', '|---|---|---|---|---|', ...rows].join('\n');
}
