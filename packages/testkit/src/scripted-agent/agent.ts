import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as acp from '@agentclientprotocol/sdk';
import {
  type AgentApp,
  type AgentContext,
  agent,
  methods,
  PROTOCOL_VERSION,
  RequestError,
} from '@agentclientprotocol/sdk';
import { runScript, type ScriptedSession, type TurnContext } from './run-script.js';
import { parseScript } from './steps.js';

export const SCRIPTED_MODES: acp.SessionMode[] = [
  { id: 'default', name: 'Manual', description: 'Ask before edits and commands' },
  { id: 'acceptEdits', name: 'Accept edits', description: 'Edits in the working folder need no approval' },
  { id: 'plan', name: 'Plan', description: 'Read-only planning' },
  { id: 'bypassPermissions', name: 'Bypass permissions', description: 'Never ask' },
];
export const SCRIPTED_MODELS = [
  { value: 'scripted-small', name: 'Scripted Small' },
  { value: 'scripted-large', name: 'Scripted Large' },
];
const COMMANDS: acp.AvailableCommand[] = [
  { name: 'compact', description: 'Compact the conversation' },
  { name: 'review', description: 'Review the changes', input: { hint: 'what to review' } },
];

export interface ScriptedAgentOptions {
  failAt?: 'initialize' | 'session_new' | undefined;
  slowStartMs?: number | undefined;
  /**
   * Keep each session in `<sessionDir>/<id>.jsonl` (appended to) and offer to reopen them in another process
   * (`restore`: `session/load`, `session/resume` or both). Without it nothing is advertised.
   */
  sessionDir?: string | undefined;
  restore?: 'load' | 'resume' | 'both' | undefined;
}

type Saved = Pick<ScriptedSession, 'id' | 'cwd' | 'mode' | 'model' | 'history'>;

/** How many history entries of each session its file holds (set when a session is saved or reopened). */
const written = new Map<string, number>();

/**
 * Appends to the session's file, never rewrites it (as Claude Code keeps its transcripts): the first
 * line is the session, each later one its mode and model then and the history entries added since.
 */
function save(dir: string | undefined, session: ScriptedSession): void {
  if (!dir) return;
  const { id, cwd, mode, model, history } = session;
  mkdirSync(dir, { recursive: true });
  const done = written.get(id);
  const line =
    done === undefined ? { id, cwd, mode, model, history } : { mode, model, history: history.slice(done) };
  appendFileSync(join(dir, `${id}.jsonl`), `${JSON.stringify(line)}\n`);
  written.set(id, history.length);
}

function readSaved(dir: string, id: string): Saved | null {
  if (!/^[\w-]+$/.test(id)) return null;
  try {
    const [first, ...later] = readFileSync(join(dir, `${id}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Partial<Saved>);
    if (!first) return null;
    const saved = { ...first, history: [...(first.history ?? [])] } as Saved;
    for (const change of later) {
      saved.mode = change.mode ?? saved.mode;
      saved.model = change.model ?? saved.model;
      saved.history.push(...(change.history ?? []));
    }
    written.set(id, saved.history.length);
    return saved;
  } catch {
    return null;
  }
}

function configOptions(session: ScriptedSession): acp.SessionConfigOption[] {
  return [
    {
      type: 'select',
      id: 'mode',
      name: 'Mode',
      category: 'mode',
      currentValue: session.mode,
      options: SCRIPTED_MODES.map((m) => ({ value: m.id, name: m.name })),
    },
    {
      type: 'select',
      id: 'model',
      name: 'Model',
      category: 'model',
      currentValue: session.model,
      options: SCRIPTED_MODELS,
    },
  ];
}

function die(code: number, message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** Builds the scripted agent app; `bin.ts` connects it to stdio. */
export function createScriptedAgent(options: ScriptedAgentOptions = {}): AgentApp {
  const sessions = new Map<string, ScriptedSession>();
  const dir = options.sessionDir;
  const canLoad = !!dir && options.restore !== 'resume';
  const canResume = !!dir && options.restore !== 'load';
  /** Reopens a saved session (`session/load` replays its history first; `session/resume` does not). */
  const reopen = async (
    client: AgentContext,
    params: { sessionId: string; cwd: string },
    method: 'session/load' | 'session/resume',
  ) => {
    const saved = dir ? readSaved(dir, params.sessionId) : null;
    if (!saved) throw RequestError.resourceNotFound(params.sessionId);
    if (saved.cwd !== params.cwd) {
      throw RequestError.invalidParams(
        { cwd: params.cwd },
        `Session ${saved.id} belongs to ${saved.cwd}, not ${params.cwd}`,
      );
    }
    const session: ScriptedSession = { ...saved, turn: null };
    sessions.set(session.id, session);
    if (method === 'session/load') {
      for (const h of session.history) {
        await notify(client, session.id, {
          sessionUpdate: h.role === 'user' ? 'user_message_chunk' : 'agent_message_chunk',
          content: { type: 'text', text: h.text },
        });
      }
    }
    setTimeout(() => {
      void notify(client, session.id, {
        sessionUpdate: 'available_commands_update',
        availableCommands: COMMANDS,
      });
    }, 1);
    return {
      modes: { currentModeId: session.mode, availableModes: SCRIPTED_MODES },
      configOptions: configOptions(session),
    };
  };
  const find = (id: string): ScriptedSession => {
    const s = sessions.get(id);
    if (!s) throw RequestError.sessionNotFound(id);
    return s;
  };
  const notify = (client: AgentContext, sessionId: string, update: acp.SessionUpdate) =>
    client.notify(methods.client.session.update, { sessionId, update });
  const setMode = async (client: AgentContext, session: ScriptedSession, modeId: string) => {
    if (!SCRIPTED_MODES.some((m) => m.id === modeId)) {
      throw RequestError.invalidParams({ modeId }, `Unknown mode ${modeId}`);
    }
    session.mode = modeId;
    setTimeout(() => {
      void notify(client, session.id, { sessionUpdate: 'current_mode_update', currentModeId: modeId });
      void notify(client, session.id, {
        sessionUpdate: 'config_option_update',
        configOptions: configOptions(session),
      });
    }, 1);
  };

  return agent({ name: 'aegis-scripted-agent' })
    .onRequest(methods.agent.initialize, async () => {
      if (options.slowStartMs) await new Promise((r) => setTimeout(r, options.slowStartMs));
      if (options.failAt === 'initialize') die(3, 'scripted-agent: failing at initialize as asked');
      return {
        protocolVersion: PROTOCOL_VERSION,
        agentInfo: { name: 'aegis-scripted-agent', title: 'Aegis scripted agent', version: '0.1.0' },
        authMethods: [],
        agentCapabilities: {
          loadSession: canLoad,
          promptCapabilities: { image: true, embeddedContext: true },
          mcpCapabilities: { http: true, sse: true },
          sessionCapabilities: canResume ? { resume: {}, close: {} } : { close: {} },
        },
      };
    })
    .onRequest(methods.agent.session.new, async ({ params, client }) => {
      if (options.failAt === 'session_new') die(3, 'scripted-agent: failing at session/new as asked');
      const session: ScriptedSession = {
        id: randomUUID(),
        cwd: params.cwd,
        mode: 'default',
        model: 'scripted-small',
        turn: null,
        history: [],
      };
      sessions.set(session.id, session);
      save(dir, session);
      setTimeout(() => {
        void notify(client, session.id, {
          sessionUpdate: 'available_commands_update',
          availableCommands: COMMANDS,
        });
      }, 1);
      return {
        sessionId: session.id,
        modes: { currentModeId: session.mode, availableModes: SCRIPTED_MODES },
        configOptions: configOptions(session),
      };
    })
    .onRequest(methods.agent.session.load, async ({ params, client }) => {
      if (!canLoad) throw RequestError.methodNotFound('session/load');
      return reopen(client, params, 'session/load');
    })
    .onRequest(methods.agent.session.resume, async ({ params, client }) => {
      if (!canResume) throw RequestError.methodNotFound('session/resume');
      return reopen(client, params, 'session/resume');
    })
    .onRequest(methods.agent.session.close, async ({ params }) => {
      // Forgets the session in this process; with a session dir, leaves `<id>.closed` as a witness.
      find(params.sessionId).turn?.abort();
      sessions.delete(params.sessionId);
      if (dir && /^[\w-]+$/.test(params.sessionId))
        writeFileSync(join(dir, `${params.sessionId}.closed`), '');
      return {};
    })
    .onRequest(methods.agent.session.setMode, async ({ params, client }) => {
      await setMode(client, find(params.sessionId), params.modeId);
      return {};
    })
    .onRequest(methods.agent.session.setConfigOption, async ({ params, client }) => {
      const session = find(params.sessionId);
      const value = String(params.value);
      if (params.configId === 'mode') await setMode(client, session, value);
      else if (params.configId === 'model') {
        if (!SCRIPTED_MODELS.some((m) => m.value === value)) {
          throw RequestError.invalidParams({ value }, `Unknown model ${value}`);
        }
        session.model = value;
      } else throw RequestError.invalidParams({ configId: params.configId }, 'Unknown config option');
      return { configOptions: configOptions(session) };
    })
    .onNotification(methods.agent.session.cancel, ({ params }) => {
      sessions.get(params.sessionId)?.turn?.abort();
    })
    .onRequest(methods.agent.session.prompt, async ({ params, client }) => {
      const session = find(params.sessionId);
      if (session.turn) throw RequestError.invalidRequest(undefined, 'A prompt is already running');
      const text = params.prompt
        .map((b) => (b.type === 'text' ? b.text : ''))
        .join('')
        .trim();
      const turn = new AbortController();
      session.turn = turn;
      const earlier = session.history.filter((h) => h.role === 'user').map((h) => h.text);
      session.history.push({ role: 'user', text });
      save(dir, session);
      const reply = { role: 'agent' as const, text: '' };
      const ctx: TurnContext = {
        session,
        client,
        signal: turn.signal,
        earlierPrompts: earlier,
        notify: (update) => {
          if (update.sessionUpdate === 'agent_message_chunk' && update.content.type === 'text') {
            reply.text += update.content.text;
          }
          return notify(client, session.id, update);
        },
      };
      try {
        const steps = parseScript(text) ?? [{ say: `You said: ${text}`, chunks: 3 }];
        const stopReason = await runScript(ctx, steps);
        const t = ctx.tokens;
        if (!t) return { stopReason };
        const usage = {
          inputTokens: t.input,
          outputTokens: t.output,
          cachedReadTokens: t.cacheRead,
          cachedWriteTokens: t.cacheWrite,
          totalTokens: t.input + t.output + t.cacheRead + t.cacheWrite,
        };
        return { stopReason, usage };
      } catch (err) {
        if (err instanceof SyntaxError)
          throw RequestError.invalidParams(undefined, `Bad script: ${err.message}`);
        throw err;
      } finally {
        session.turn = null;
        if (reply.text) session.history.push(reply);
        save(dir, session);
      }
    });
}
