import { SpanStatusCode } from '@opentelemetry/api';
import { Budget } from './budget.js';
import { AegisError } from './errors.js';
import type { Decider } from './events.js';
import type { LiveSession, QuestionReply } from './live-session.js';
import type { PermissionAnswer } from './permission-queue.js';
import { isTerminal, type PermissionMode, type Session, SessionStatus } from './schemas.js';
import { createSessionStarter, type SessionsApiContext } from './session-create.js';
import type {
  Actor,
  CreateSessionInput,
  CreateSessionResult,
  ListSessionsInput,
  PromptDelivery,
  SessionsApi,
  TranscriptPage,
} from './sessions-api-types.js';
import { coreTracer, TraceAttr } from './tracing.js';
import type { TranscriptRole } from './transcript.js';

const LOCAL: Actor = { id: null, admin: true };

export type { SessionsApiContext } from './session-create.js';

/** Builds `aegis.sessions` (see {@link SessionsApi}) over the engine's live sessions and store. */
export function createSessionsApi(ctx: SessionsApiContext): SessionsApi {
  const { options, live, deps, cluster, refuseWhileStoreFails } = ctx;
  const { checkRoom } = ctx.capacity;

  /** A budget given by an embedding caller is checked as the API checks it (a negative limit is refused). */
  function budgetOf(budget: Budget | null | undefined): Budget | null {
    if (budget === undefined || budget === null) return null;
    const parsed = Budget.safeParse(budget);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    throw AegisError.validation(`budget.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }

  function visible(session: Session | undefined, actor: Actor): session is Session {
    return !!session && (actor.admin === true || session.ownerId === actor.id);
  }

  async function getSession(id: string, actor: Actor = LOCAL): Promise<Session> {
    const running = live.get(id);
    const session = running ? running.snapshot() : await options.store.getSession(id);
    if (!visible(session, actor)) throw AegisError.sessionNotFound(id);
    return session;
  }

  function liveSession(id: string, actor: Actor): LiveSession {
    const running = live.get(id);
    if (!running || !visible(running.session, actor)) throw AegisError.sessionNotFound(id);
    return running;
  }

  async function requireLive(id: string, actor: Actor): Promise<LiveSession> {
    const running = live.get(id);
    if (running && visible(running.session, actor)) {
      if (isTerminal(running.session.status)) throw AegisError.terminated(id, running.session.status);
      return running;
    }
    const stored = await getSession(id, actor);
    // Another node runs it: taken on here if its owner's lease ran out, else SESSION_ELSEWHERE.
    if (cluster && !isTerminal(stored.status)) return cluster.locate(stored);
    throw AegisError.terminated(id, stored.status);
  }

  function assertModeAllowed(mode: PermissionMode, actor: Actor): void {
    const allowed = options.permissionModesFor?.(actor);
    if (!allowed || allowed.includes(mode)) return;
    throw new AegisError(
      'FORBIDDEN',
      `Permission mode ${mode} may not be chosen with ${actor.role ? `the ${actor.role} role` : 'this identity'}; choose one of ${allowed.join(', ') || '(none)'}, or ask an administrator (the server's operatorPermissionModes setting decides).`,
      { details: { permissionMode: mode, allowed: [...allowed] } },
    );
  }

  const { createSession, startsNew } = createSessionStarter(ctx, { getSession, assertModeAllowed, budgetOf });

  const tracer = deps.tracer ?? coreTracer();

  const sessions: SessionsApi = {
    /** {@link createSession} inside an `aegis.session.create` span (the parent of its first turn). */
    create(input: CreateSessionInput, actor: Actor = LOCAL): Promise<CreateSessionResult> {
      return tracer.startActiveSpan('aegis.session.create', async (span) => {
        try {
          const result = await createSession(input, actor);
          span.setAttributes({
            [TraceAttr.sessionId]: result.session.id,
            [TraceAttr.agent]: result.session.agent,
            [TraceAttr.reused]: result.reused,
          });
          return result;
        } catch (err) {
          span.recordException(err as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
          throw err;
        } finally {
          span.end();
        }
      });
    },

    startsNew,

    get: getSession,

    async list(input: ListSessionsInput = {}, actor: Actor = LOCAL) {
      const limit = input.limit ?? 20;
      const page = input.page ?? 1;
      const result = await options.store.listSessions({
        status: input.status,
        workDir: input.workDir,
        ownerId: actor.admin ? undefined : (actor.id ?? undefined),
        limit,
        offset: (page - 1) * limit,
      });
      const sessions = result.sessions.map((s) => live.get(s.id)?.snapshot() ?? s);
      return { sessions, total: result.total, page, limit };
    },

    async countByStatus() {
      const store = options.store;
      const grouped = await store.countSessionsByStatus?.();
      // A store without the grouped count: one paged list per state.
      const totals = grouped
        ? SessionStatus.options.map((s) => grouped[s] ?? 0)
        : await Promise.all(
            SessionStatus.options.map(
              async (s) => (await store.listSessions({ status: [s], limit: 1, offset: 0 })).total,
            ),
          );
      return Object.fromEntries(SessionStatus.options.map((s, i) => [s, totals[i]])) as Record<
        SessionStatus,
        number
      >;
    },

    async prompt(id: string, text: string, actor: Actor = LOCAL): Promise<PromptDelivery> {
      const session = await requireLive(id, actor);
      refuseWhileStoreFails();
      await ctx.keyBudgets?.prime(session.session.ownerId);
      session.assertPromptAllowed();
      if (session.dormant) checkRoom(session);
      return { ...(await session.enqueuePrompt(text)) };
    },

    async respondPermission(
      id: string,
      answer: PermissionAnswer,
      actor: Actor = LOCAL,
    ): Promise<{ requestId: string; optionId: string; optionKind: string }> {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerPermission(answer, decidedBy);
    },

    async interrupt(id: string, actor: Actor = LOCAL) {
      return (await requireLive(id, actor)).interrupt();
    },

    async answerQuestion(id: string, reply: QuestionReply, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local' };
      return (await requireLive(id, actor)).answerQuestion(reply, decidedBy);
    },

    async escape(id: string, actor: Actor = LOCAL) {
      const decidedBy: Decider = { type: 'human', actor: actor.id ?? 'local', rule: 'escape' };
      return (await requireLive(id, actor)).escape(decidedBy);
    },

    async discoverCommands(id: string, opts: { waitMs?: number } = {}, actor: Actor = LOCAL) {
      const deadline = Date.now() + (opts.waitMs ?? 3_000);
      for (;;) {
        const session = await getSession(id, actor);
        const running = live.get(id);
        if (session.availableCommands.length > 0 || !running?.alive || Date.now() >= deadline) {
          return { commands: session.availableCommands, session };
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },

    async liveness(id: string, actor: Actor = LOCAL): Promise<{ alive: boolean; inactiveMs: number | null }> {
      await getSession(id, actor);
      const running = live.get(id);
      return {
        alive: running?.alive ?? false,
        inactiveMs: running ? Date.now() - running.lastEventAt : null,
      };
    },

    async setBudget(id: string, budget: Budget | null, actor: Actor = LOCAL): Promise<Session> {
      const s = await requireLive(id, actor);
      await s.setBudget(budgetOf(budget), actor.id);
      return s.snapshot();
    },

    async setMode(id: string, mode: PermissionMode, actor: Actor = LOCAL): Promise<Session> {
      const s = await requireLive(id, actor);
      assertModeAllowed(mode, actor);
      await s.setMode(mode);
      return s.snapshot();
    },

    async kill(id: string, actor: Actor = LOCAL): Promise<Session> {
      let running = live.get(id);
      if (!running) {
        const stored = await getSession(id, actor);
        if (isTerminal(stored.status)) return stored;
        if (!cluster) throw AegisError.terminated(id, stored.status);
        running = await cluster.locate(stored);
      }
      liveSession(id, actor);
      await running.end('killed', 'killed through the API');
      live.delete(id);
      return running.snapshot();
    },

    async read(id: string, opts: { after?: number; limit?: number } = {}, actor: Actor = LOCAL) {
      const session = await getSession(id, actor);
      const limit = opts.limit ?? 200;
      // One row past the page says whether more follow (a full last page is not "more").
      const rows = await options.store.listTranscript({
        sessionId: id,
        after: opts.after ?? 0,
        limit: limit + 1,
      });
      const entries = rows.length > limit ? rows.slice(0, limit) : rows;
      const last = entries.at(-1);
      return {
        status: session.status,
        session,
        entries,
        cursor: last ? last.id : (opts.after ?? 0),
        has_more: rows.length > limit,
      };
    },

    async transcriptPage(
      id: string,
      opts: { before?: number; limit?: number; role?: TranscriptRole[] } = {},
      actor: Actor = LOCAL,
    ): Promise<TranscriptPage> {
      await getSession(id, actor);
      const limit = opts.limit ?? 50;
      const rows = await options.store.listTranscript({
        sessionId: id,
        before: opts.before ?? Number.MAX_SAFE_INTEGER,
        roles: opts.role,
        limit: limit + 1,
      });
      const has_more = rows.length > limit;
      const messages = rows.slice(0, limit).reverse();
      return {
        messages,
        has_more,
        oldest_id: messages[0]?.id ?? null,
        newest_id: messages.at(-1)?.id ?? null,
      };
    },

    async events(id: string, opts: { after?: number; limit?: number } = {}, actor: Actor = LOCAL) {
      await getSession(id, actor);
      return options.store.listEvents({ sessionId: id, after: opts.after ?? 0, limit: opts.limit ?? 1000 });
    },
  };
  return sessions;
}
