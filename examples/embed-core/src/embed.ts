/**
 * Embedding Aegis in a Node service, without the HTTP server: the engine from `@aegis/core`, agents
 * from `@aegis/acp-runtime` (Claude Code by default) and a SQLite file from `@aegis/core/sqlite`.
 *
 * `runTask` creates a session, streams its events, answers its permission requests with your
 * `decide` function, and reads the transcript back from the store.
 */
import { realpath, stat } from 'node:fs/promises';
import { type AgentSpec, createAcpDriver } from '@aegis/acp-runtime';
import {
  type Aegis,
  AegisError,
  type AegisEvent,
  createAegis,
  type EventOf,
  type SessionStatus,
  type TranscriptEntry,
} from '@aegis/core';
import { createSqliteStore } from '@aegis/core/sqlite';

export type PermissionRequest = EventOf<'permission.requested'>['data'];

export interface RunTaskOptions {
  /** The folder the agent works in. */
  workDir: string;
  /** The SQLite file that keeps sessions, events and transcripts (created if missing). */
  dbPath: string;
  /** What the agent should do. */
  prompt: string;
  /**
   * The agent to run. Default: Claude Code through its ACP adapter (or the command in
   * `AEGIS_ACP_BIN`, e.g. `node packages/testkit/dist/scripted-agent/bin.js`).
   */
  agent?: AgentSpec | undefined;
  /** Answers each permission request; default {@link approveEditsOnly}. */
  decide?: ((request: PermissionRequest) => boolean | Promise<boolean>) | undefined;
  /** Called with every event, in order, as soon as it is stored. */
  onEvent?: ((event: AegisEvent) => void) | undefined;
  /** Give up (interrupting the turn) after this long. Default 10 minutes. */
  timeoutMs?: number | undefined;
}

export interface RunTaskResult {
  sessionId: string;
  status: SessionStatus;
  /** How the turn ended: `turn.completed` or `turn.failed`. */
  outcome: 'turn.completed' | 'turn.failed';
  decisions: { title: string; kind: string | null; approved: boolean }[];
  transcript: TranscriptEntry[];
}

/** The default decision: allow reading and editing files, refuse everything else (commands, fetches…). */
export function approveEditsOnly(request: PermissionRequest): boolean {
  return request.kind === 'edit' || request.kind === 'read';
}

/** Opens the engine on a SQLite file. Close it with `aegis.close()` (stops agents, closes the store). */
export async function openAegis(options: { dbPath: string; agent?: AgentSpec | undefined }): Promise<Aegis> {
  const aegis = createAegis({
    agent: createAcpDriver(options.agent ? { agents: { example: options.agent } } : {}),
    store: createSqliteStore({ path: options.dbPath }),
    resolveWorkDir: async (dir) => {
      const resolved = await realpath(dir).catch(() => null);
      if (!resolved || !(await stat(resolved)).isDirectory()) {
        throw new AegisError('WORKDIR_DENIED', `workDir ${dir} is not an existing folder; create it first.`);
      }
      return resolved;
    },
  });
  // Sessions a previous run left live (the process died) are reopened where the agent supports
  // session/load or session/resume, else marked crashed: none is left dangling.
  await aegis.recover();
  return aegis;
}

/**
 * A session's events: the stored ones first, then live ones as they are stored, without gaps or
 * duplicates. Subscribes at once, so nothing is missed between this call and the first `next()`.
 */
export function follow(aegis: Aegis, sessionId: string, signal: AbortSignal): AsyncGenerator<AegisEvent> {
  const queue: AegisEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = aegis.subscribe(
    (event) => {
      queue.push(event);
      wake?.();
    },
    { sessionId },
  );
  const sleep = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      };
      wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  return (async function* () {
    try {
      let last = 0;
      for (const event of await aegis.sessions.events(sessionId)) {
        last = event.seq;
        yield event;
      }
      while (!signal.aborted) {
        const event = queue.shift();
        if (!event) {
          await sleep();
          continue;
        }
        if (event.seq <= last) continue; // already replayed from the store
        last = event.seq;
        yield event;
      }
    } finally {
      unsubscribe();
    }
  })();
}

/** Runs one prompt in a new session and returns what happened. */
export async function runTask(options: RunTaskOptions): Promise<RunTaskResult> {
  const decide = options.decide ?? approveEditsOnly;
  const aegis = await openAegis(options);
  const signal = AbortSignal.timeout(options.timeoutMs ?? 600_000);
  try {
    const { session } = await aegis.sessions.create({
      workDir: options.workDir,
      name: 'embed-example',
      reuse: false,
    });
    const events = follow(aegis, session.id, signal);
    await aegis.sessions.prompt(session.id, options.prompt);

    const decisions: RunTaskResult['decisions'] = [];
    let outcome: RunTaskResult['outcome'] | undefined;
    for await (const event of events) {
      options.onEvent?.(event);
      if (event.type === 'permission.requested') {
        const approved = await decide(event.data);
        decisions.push({ title: event.data.title, kind: event.data.kind, approved });
        await aegis.sessions.respondPermission(session.id, { approve: approved });
      }
      if (event.type === 'turn.completed' || event.type === 'turn.failed') {
        outcome = event.type;
        break;
      }
      if (event.type === 'session.ended') break;
    }
    if (!outcome) {
      if (signal.aborted) await aegis.sessions.interrupt(session.id).catch(() => {});
      const now = await aegis.sessions.get(session.id);
      throw new AegisError(
        signal.aborted ? 'AGENT_TIMEOUT' : 'AGENT_CRASHED',
        signal.aborted
          ? `The turn did not finish within ${options.timeoutMs ?? 600_000} ms; it was interrupted.`
          : `The session ended (${now.status}) before its turn finished${now.problem ? `: ${now.problem.message}` : ''}.`,
      );
    }
    // The transcript is read back from the SQLite store, not from memory.
    const { entries } = await aegis.sessions.read(session.id);
    const status = (await aegis.sessions.get(session.id)).status;
    return { sessionId: session.id, status, outcome, decisions, transcript: entries };
  } finally {
    await aegis.close();
  }
}
