import type { AgentDriver } from './driver.js';
import type { EventDraft } from './events.js';
import { cancelledPermission, type Interrupted, scanLog } from './interrupted.js';
import { LiveSession, type LiveSessionDeps } from './live-session.js';
import { LIVE_STATUSES, type Session } from './schemas.js';
import type { AegisStore } from './store.js';
import type { TranscriptEntryDraft } from './transcript.js';

const RESTART_WHY =
  'Aegis stopped while this session was live (a crash or a kill, or a shutdown before this version); its agent process went with it.';

export interface RecoveryContext {
  store: AegisStore;
  driver: AgentDriver;
  live: Map<string, LiveSession>;
  deps: LiveSessionDeps;
  now: () => Date;
}

/**
 * Deals with sessions a previous process left live, so none claims an agent that is gone — without
 * starting any agent: with `resume` (default true), each one the agent can be brought back for is
 * taken on dormant (what the dead process left open is recorded first: a running turn fails as
 * interrupted, a pending permission or question is cancelled); its next prompt starts an agent and
 * resumes the conversation. A session with its own env (not stored), or an agent this server no
 * longer has, is marked `crashed`, saying why.
 */
export async function recoverSessions(
  ctx: RecoveryContext,
  opts: { resume?: boolean } = {},
): Promise<{ crashed: string[]; dormant: string[] }> {
  const crashed: string[] = [];
  const dormant: string[] = [];
  // Collected first, then changed: marking one crashed moves it out of the pages being read.
  const stale: Session[] = [];
  const seen = new Set<string>();
  for (;;) {
    const page = await ctx.store.listSessions({
      status: [...LIVE_STATUSES],
      limit: 100,
      offset: stale.length,
    });
    stale.push(...page.sessions.filter((s) => !seen.has(s.id)));
    for (const s of page.sessions) seen.add(s.id);
    if (page.sessions.length < 100) break;
  }
  for (const stored of stale) {
    if (ctx.live.has(stored.id)) continue; // already taken on by this process
    const outcome = await takeOn(ctx, stored, { resume: opts.resume !== false, why: RESTART_WHY });
    (outcome === 'crashed' ? crashed : dormant).push(stored.id);
  }
  return { crashed, dormant };
}

/**
 * Takes one session a dead (or departed) process left live on in this process, dormant; or marks
 * it `crashed` when its agent cannot be brought back. With `adopted`, it came from another node
 * (cluster failover or drain) and `session.adopted` is recorded first.
 */
export async function takeOn(
  ctx: RecoveryContext,
  stored: Session,
  opts: { resume: boolean; why: string; adopted?: { fromNode: string | null; node: string } },
): Promise<'dormant' | 'crashed'> {
  const { lastSeq: logSeq, cut, ownEnv } = await scanLog(ctx.store, stored.id);
  const lastSeq = Math.max(logSeq, stored.lastSeq);
  const why = !ctx.driver.agents.includes(stored.agent)
    ? `its agent "${stored.agent}" is not configured on this server any more`
    : // The log says so even when the session was cut off before its agent was ready (no `agentSession`).
      ownEnv || stored.agentSession?.resumable === false
      ? 'it was started with its own env, which Aegis does not store, so its agent cannot be brought back'
      : !opts.resume
        ? 'resuming sessions after a restart is turned off (resumeOnRestart: false)'
        : null;
  if (why) {
    await markCrashed(ctx, stored, lastSeq, cut.message, why);
    return 'crashed';
  }
  const session = new LiveSession(structuredClone({ ...stored, lastSeq }), ctx.deps, { dormant: true });
  ctx.live.set(stored.id, session);
  await session.adoptDormant(cut, opts.why, opts.adopted);
  return 'dormant';
}

/** Marks a session a dead server left live as `crashed`, appending after its last stored event. */
async function markCrashed(
  ctx: RecoveryContext,
  stored: Session,
  lastSeq: number,
  message: Interrupted['message'],
  why: string,
): Promise<void> {
  const at = ctx.now().toISOString();
  const reason = `Aegis stopped without a shutdown while this session was live and ${why}`;
  const from = stored.status;
  // A message cut off mid-stream is completed with what arrived, so the transcript has it.
  const completed: EventDraft[] = message
    ? [
        {
          sessionId: stored.id,
          seq: ++lastSeq,
          at,
          type: 'message.completed',
          data: { messageId: message.id, text: message.text },
        },
      ]
    : [];
  const partial: TranscriptEntryDraft[] = message
    ? [{ sessionId: stored.id, seq: lastSeq, at, role: 'assistant', text: message.text }]
    : [];
  // What it waited on is answered, so no `permission.requested` or `question.asked` stays open.
  const decidedBy = { type: 'system' as const, actor: null, rule: 'server restart' };
  const permission = stored.pendingPermission;
  if (permission) {
    completed.push({
      sessionId: stored.id,
      seq: ++lastSeq,
      at,
      type: 'permission.resolved',
      data: cancelledPermission(permission, Date.parse(at)),
    });
    partial.push({
      sessionId: stored.id,
      seq: lastSeq,
      at,
      role: 'permission',
      text: permission.title,
      permission: {
        requestId: permission.requestId,
        title: permission.title,
        options: permission.options,
        outcome: 'cancelled',
        optionKind: null,
        decidedBy,
      },
    });
  }
  const question = stored.pendingQuestion;
  if (question) {
    completed.push({
      sessionId: stored.id,
      seq: ++lastSeq,
      at,
      type: 'question.answered',
      data: {
        questionId: question.questionId,
        outcome: 'cancelled',
        answers: {},
        decidedBy,
        waitedMs: Math.max(0, Date.parse(at) - Date.parse(question.askedAt)),
      },
    });
    partial.push({
      sessionId: stored.id,
      seq: lastSeq,
      at,
      role: 'system',
      text: `${question.message} — cancelled`,
    });
  }
  const session: Session = {
    ...stored,
    status: 'crashed',
    lastSeq: lastSeq + 2,
    updatedAt: at,
    pendingPermission: null,
    pendingPermissionCount: 0,
    pendingQuestion: null,
    queuedPrompts: 0,
    agentResident: false,
    problem: { code: 'AGENT_CRASHED', message: reason },
  };
  await ctx.store.write({
    sessions: [session],
    events: [
      ...completed,
      {
        sessionId: stored.id,
        seq: lastSeq + 1,
        at,
        type: 'session.ended',
        data: { status: 'crashed', reason, exit: null },
      },
      {
        sessionId: stored.id,
        seq: lastSeq + 2,
        at,
        type: 'session.state_changed',
        data: { from, to: 'crashed', reason },
      },
    ],
    transcript: [
      ...partial,
      { sessionId: stored.id, seq: lastSeq + 1, at, role: 'system', text: `Session crashed: ${reason}` },
    ],
  });
}
