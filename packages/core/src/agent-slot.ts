import { MAX_CONVERSATION_APPENDS } from './conversation-store.js';
import type { AgentDriver, AgentHandle, AgentSink, AgentStartOptions, ConversationRef } from './driver.js';
import { AegisError } from './errors.js';
import { type ReplaySeed, renderReplay } from './replay.js';
import type { Session } from './schemas.js';
import type { AegisStore } from './store.js';

/**
 * Where a session's agent process is: `starting` (first start), `resident` (up), `evicting`
 * (being closed to free memory), `dormant` (none; the next prompt brings one), `resuming`.
 */
export type Residency = 'starting' | 'resident' | 'evicting' | 'dormant' | 'resuming';

export type ResumeVia = 'resume' | 'load' | 'replay' | 'fresh';

export interface AgentSlotDeps {
  driver: AgentDriver;
  store: AegisStore;
  onError: (err: unknown, context: string) => void;
}

export interface Restored {
  handle: AgentHandle;
  via: ResumeVia;
  /** Why native resume was not used, when it was not. */
  reason: string | null;
  /** The transcript to put before the next prompt (`via: 'replay'`). */
  seed: ReplaySeed | null;
}

/**
 * The disposable half of a session: its agent process. Starts one, brings one back for a session
 * whose process is gone (native resume with the conversation files put back first, else a fresh
 * agent session seeded with the transcript), captures the agent's conversation files into the
 * store, and lets the process go. A process the slot no longer holds cannot reach the session:
 * every sink it was given is cut off when the slot lets it go.
 */
export class AgentSlot {
  residency: Residency;
  #handle: AgentHandle | undefined;
  #gen = 0;
  #captures: Promise<unknown> = Promise.resolve();
  /** The last capture stored (whole, then `appends` pieces added): what the next one may append to. */
  #lastCapture: { agentSessionId: string; mark: unknown; appends: number } | undefined;
  readonly #session: Session;
  readonly #deps: AgentSlotDeps;
  readonly #env: Record<string, string> | undefined;

  constructor(
    session: Session,
    deps: AgentSlotDeps,
    opts: { env?: Record<string, string> | undefined; dormant?: boolean },
  ) {
    this.#session = session;
    this.#deps = deps;
    this.#env = opts.env;
    this.residency = opts.dormant ? 'dormant' : 'starting';
  }

  get handle(): AgentHandle | undefined {
    return this.#handle;
  }

  /** Whether the session was given its own env (which is kept in memory only). */
  get ownEnv(): boolean {
    return this.#env !== undefined && Object.keys(this.#env).length > 0;
  }

  /** Whether this slot holds (or is about to hold) an agent process: what capacity counts. */
  get holdsProcess(): boolean {
    return this.residency !== 'dormant';
  }

  #options(): AgentStartOptions {
    const s = this.#session;
    return {
      sessionId: s.id,
      workDir: s.workDir,
      agent: s.agent,
      env: this.#env,
      ...(s.sandbox ? { sandbox: s.sandbox } : {}),
    };
  }

  #guard(sink: AgentSink, gen: number): AgentSink {
    const current = () => gen === this.#gen;
    return {
      update: (body) => {
        if (current()) sink.update(body);
      },
      requestPermission: (request, signal) =>
        current() ? sink.requestPermission(request, signal) : Promise.resolve({ outcome: 'cancelled' }),
      askQuestion: (request, signal) =>
        current() ? sink.askQuestion(request, signal) : Promise.resolve({ outcome: 'cancelled' }),
      exited: (exit) => {
        if (current()) sink.exited(exit);
      },
    };
  }

  /** Takes a handle the driver returned, unless the slot was let go meanwhile (then closes it). */
  async #take(handle: AgentHandle, gen: number): Promise<AgentHandle> {
    if (gen !== this.#gen) {
      await handle.close().catch(() => {});
      throw new AegisError('SHUTTING_DOWN', 'The session was suspended while its agent was starting.');
    }
    this.#handle = handle;
    return handle;
  }

  /** Starts a new agent session (the session's first process). */
  async start(sink: AgentSink): Promise<AgentHandle> {
    const gen = ++this.#gen;
    return this.#take(await this.#deps.driver.start(this.#options(), this.#guard(sink, gen)), gen);
  }

  /**
   * Brings back a session whose process is gone: the captured conversation files are put back,
   * then the agent reopens its session (`resume`/`load`); when that is not possible, a fresh agent
   * session is started and given a bounded rendering of the transcript (`replay`), or nothing
   * when nothing was said yet (`fresh`). Rejects only when no process could be started at all.
   */
  async restore(sink: AgentSink): Promise<Restored> {
    const { driver, store } = this.#deps;
    const prior = this.#session.agentSession?.id;
    let reason: string | null = null;
    if (!prior) reason = 'no agent conversation was recorded for this session';
    else if (!driver.resume) reason = 'the agent driver cannot reopen agent sessions';
    else {
      await this.#putBackFiles(prior);
      const gen = ++this.#gen;
      try {
        const handle = await this.#take(
          await driver.resume({ ...this.#options(), agentSessionId: prior }, this.#guard(sink, gen)),
          gen,
        );
        const via = handle.info.resumedVia === 'session/load' ? 'load' : 'resume';
        return { handle, via, reason: null, seed: null };
      } catch (err) {
        if (AegisError.fromUnknown(err).code === 'SHUTTING_DOWN') throw err;
        reason = `the agent could not reopen its conversation: ${(err as Error).message}`;
      }
    }
    const seed = await renderReplay(store, this.#session.id);
    const handle = await this.start(sink);
    return { handle, via: seed ? 'replay' : 'fresh', reason, seed };
  }

  async #putBackFiles(agentSessionId: string): Promise<void> {
    const { driver, store, onError } = this.#deps;
    if (!driver.restoreConversation) return;
    try {
      const snapshot = await store.conversations.get(this.#session.id);
      if (!snapshot || snapshot.agentSessionId !== agentSessionId) return;
      await driver.restoreConversation(this.#conversationRef(agentSessionId), snapshot);
    } catch (err) {
      onError(err, `putting back the conversation files of session ${this.#session.id}`);
    }
  }

  #conversationRef(agentSessionId: string): ConversationRef {
    const s = this.#session;
    return {
      agent: s.agent,
      agentSessionId,
      workDir: s.workDir,
      env: this.#env,
      sessionId: s.id,
      sandbox: s.sandbox ?? undefined,
    };
  }

  /**
   * Copies the agent's conversation files into the store (in order with earlier captures).
   * Resolves with their size, or `null` when the agent keeps none or the copy failed (logged).
   */
  capture(): Promise<number | null> {
    const next = this.#captures.then(() => this.#captureNow());
    this.#captures = next.catch(() => {});
    return next;
  }

  async #captureNow(): Promise<number | null> {
    const { driver, store, onError } = this.#deps;
    const agentSessionId = this.#session.agentSession?.id;
    if (!driver.captureConversation || !agentSessionId) return null;
    // Only what was appended since the last capture this process stored, while the store can add
    // pieces and has not gathered too many; else the whole files.
    const last = this.#lastCapture;
    const since =
      store.conversations.append &&
      last?.agentSessionId === agentSessionId &&
      last.appends < MAX_CONVERSATION_APPENDS
        ? last.mark
        : undefined;
    this.#lastCapture = undefined;
    try {
      const snapshot = await driver.captureConversation(this.#conversationRef(agentSessionId), since);
      if (!snapshot) return null;
      let appends = 0;
      if (snapshot.appended) {
        if (!store.conversations.append || !last || since === undefined) {
          throw new Error(
            'the agent driver answered with appended pieces to a capture that asked for whole files',
          );
        }
        appends = last.appends;
        if (snapshot.files.length > 0) {
          await store.conversations.append(this.#session.id, snapshot);
          appends += 1;
        }
      } else await store.conversations.put(this.#session.id, snapshot);
      this.#lastCapture = { agentSessionId, mark: snapshot.mark, appends };
      return snapshot.bytes;
    } catch (err) {
      onError(err, `capturing the conversation of session ${this.#session.id}`);
      return null;
    }
  }

  /** Lets the process go (ACP `session/close` where offered, then the process group ends). */
  async release(): Promise<void> {
    this.#gen += 1;
    const handle = this.#handle;
    this.#handle = undefined;
    this.residency = 'dormant';
    await handle?.close().catch((err) => this.#deps.onError(err, 'closing agent'));
  }
}
