/**
 * The one module that knows ACP message shapes. Everything the agent says is mapped here into core
 * event bodies, permission requests, agent info and `AegisError`s; an ACP version bump should touch
 * only this file and its tests.
 */
import { randomUUID } from 'node:crypto';
import {
  AegisError,
  type AgentCommand,
  type AgentEventBody,
  type AgentMode,
  type PermissionDecision,
  type PermissionRequest,
  type QuestionAnswer,
  type QuestionField,
  type QuestionRequest,
  type StopReason,
  type ToolContent,
  type ToolKind,
  type ToolLocation,
} from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { PROTOCOL_VERSION } from '@agentclientprotocol/sdk';

const TOOL_KINDS = new Set<string>([
  'read',
  'edit',
  'delete',
  'move',
  'search',
  'execute',
  'think',
  'fetch',
  'switch_mode',
  'other',
]);
const toolKind = (kind: string | null | undefined): ToolKind | undefined =>
  kind == null ? undefined : TOOL_KINDS.has(kind) ? (kind as ToolKind) : 'other';

export function contentText(block: acp.ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'resource_link':
      return `[${block.name}](${block.uri})`;
    case 'resource':
      return 'text' in block.resource ? block.resource.text : '';
    default:
      return '';
  }
}

function toolContent(items: acp.ToolCallContent[] | null | undefined): ToolContent[] | undefined {
  if (!items) return undefined;
  return items.map((c): ToolContent => {
    if (c.type === 'diff')
      return { type: 'diff', path: c.path, oldText: c.oldText ?? null, newText: c.newText };
    if (c.type === 'terminal') return { type: 'terminal', terminalId: c.terminalId };
    return { type: 'text', text: contentText(c.content) };
  });
}

const locations = (items: acp.ToolCallLocation[] | null | undefined): ToolLocation[] | undefined =>
  items?.map((l) => ({ path: l.path, line: l.line ?? null }));

/** Drops `undefined` fields so events stay minimal and snapshot-friendly. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function toolFields(u: acp.ToolCallUpdate) {
  return compact({
    toolCallId: u.toolCallId,
    title: u.title ?? undefined,
    kind: toolKind(u.kind),
    status: u.status ?? undefined,
    input: u.rawInput,
    output: u.rawOutput,
    content: toolContent(u.content),
    locations: locations(u.locations),
  });
}

export interface ModelChoice {
  id: string;
  name: string;
}

/**
 * Stateful translator for one agent session: assigns message ids to chunk runs and keeps what the
 * agent told us about its modes, models and commands.
 */
export class AcpTranslator {
  modes: AgentMode[] = [];
  currentMode: string | null = null;
  models: ModelChoice[] = [];
  currentModel: string | null = null;
  /** The config option through which the model is set, when the agent offers one. */
  modelConfigId: string | null = null;
  commands: AgentCommand[] = [];
  private run: { kind: string; id: string } | null = null;

  constructor(private readonly newId: () => string = randomUUID) {}

  /** Ends the current chunk run, e.g. at a turn boundary. */
  endRun(): void {
    this.run = null;
  }

  private messageId(kind: string, given: string | null | undefined): string {
    if (given) {
      this.run = { kind, id: given };
      return given;
    }
    if (this.run?.kind !== kind) this.run = { kind, id: this.newId() };
    return this.run.id;
  }

  /** Reads the answer of `session/new` (or `session/load` / `session/resume`, same fields): modes and the model/mode config options. */
  applyNewSession(res: Pick<acp.NewSessionResponse, 'modes' | 'configOptions'>): void {
    if (res.modes) {
      this.modes = res.modes.availableModes.map((m) => ({
        id: m.id,
        name: m.name,
        description: m.description ?? null,
      }));
      this.currentMode = res.modes.currentModeId;
    }
    if (res.configOptions) this.applyConfigOptions(res.configOptions);
  }

  /** Records a mode the agent accepted; emits `mode.changed` unless the agent already told us. */
  noteMode(modeId: string): AgentEventBody[] {
    if (this.currentMode === modeId) return [];
    this.currentMode = modeId;
    return [{ type: 'mode.changed', data: { mode: modeId } }];
  }

  /** Returns the mode it changed to, if the options carry a different current mode. */
  applyConfigOptions(options: acp.SessionConfigOption[]): string | null {
    let modeChanged: string | null = null;
    for (const option of options) {
      if (option.type !== 'select') continue;
      const choices = option.options.flatMap((o) => ('group' in o ? o.options : [o]));
      if (option.category === 'model' || option.id === 'model') {
        this.modelConfigId = option.id;
        this.models = choices.map((c) => ({ id: c.value, name: c.name }));
        this.currentModel = option.currentValue;
      } else if (option.category === 'mode' || option.id === 'mode') {
        if (this.modes.length === 0)
          this.modes = choices.map((c) => ({
            id: c.value,
            name: c.name,
            description: c.description ?? null,
          }));
        if (option.currentValue !== this.currentMode) modeChanged = option.currentValue;
        this.currentMode = option.currentValue;
      }
    }
    return modeChanged;
  }

  /** Maps one `session/update` into zero or more core event bodies. Unknown kinds map to none. */
  translate(update: acp.SessionUpdate): AgentEventBody[] {
    const kind = (update as { sessionUpdate: string }).sessionUpdate;
    if (kind !== 'agent_message_chunk' && kind !== 'agent_thought_chunk') this.run = null;
    switch (update.sessionUpdate) {
      case 'agent_message_chunk':
      case 'agent_thought_chunk': {
        const text = contentText(update.content);
        const messageId = this.messageId(update.sessionUpdate, update.messageId);
        if (!text) return [];
        const type = update.sessionUpdate === 'agent_message_chunk' ? 'message.delta' : 'thought.delta';
        return [{ type, data: { messageId, text } }];
      }
      case 'user_message_chunk':
        return [];
      case 'tool_call': {
        const started: AgentEventBody = { type: 'tool.started', data: toolFields(update) };
        return update.status === 'completed' || update.status === 'failed'
          ? [started, { type: 'tool.completed', data: { ...toolFields(update), status: update.status } }]
          : [started];
      }
      case 'tool_call_update':
        return update.status === 'completed' || update.status === 'failed'
          ? [{ type: 'tool.completed', data: { ...toolFields(update), status: update.status } }]
          : [{ type: 'tool.updated', data: toolFields(update) }];
      case 'plan':
        return [
          {
            type: 'plan.updated',
            data: {
              entries: update.entries.map((e) => ({
                content: e.content,
                priority: e.priority,
                status: e.status,
              })),
            },
          },
        ];
      case 'available_commands_update':
        this.commands = update.availableCommands.map((c) => ({
          name: c.name,
          description: c.description,
          hint: c.input && 'hint' in c.input ? c.input.hint : null,
        }));
        return [{ type: 'commands.updated', data: { commands: this.commands } }];
      case 'current_mode_update':
        return this.noteMode(update.currentModeId);
      case 'config_option_update': {
        const mode = this.applyConfigOptions(update.configOptions);
        return mode === null ? [] : [{ type: 'mode.changed', data: { mode } }];
      }
      case 'usage_update':
        return [
          {
            type: 'usage.updated',
            data: compact({
              contextUsed: update.used,
              contextSize: update.size,
              costUsd: update.cost?.amount,
            }),
          },
        ];
      case 'session_info_update':
        return update.title === undefined
          ? []
          : [{ type: 'session.info_updated', data: { title: update.title } }];
      default:
        return [];
    }
  }
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

const TOOL_STATUSES = new Set<unknown>(['pending', 'in_progress', 'completed', 'failed']);
const isUint32 = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4294967295;

/** `value` is absent, or (when `nullable`) null, or passes `check`. */
const optional = (value: unknown, nullable: boolean, check: (v: unknown) => boolean) =>
  value === undefined || (value === null ? nullable : check(value));

/** Tool call content the translator reads: diffs, terminals and text content blocks. */
function cleanToolContent(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  for (const c of list) {
    if (!isObject(c)) return false;
    if (c.type === 'diff') {
      if (typeof c.path !== 'string' || typeof c.newText !== 'string') return false;
      if (!optional(c.oldText, true, (v) => typeof v === 'string')) return false;
    } else if (c.type === 'terminal') {
      if (typeof c.terminalId !== 'string') return false;
    } else if (c.type === 'content') {
      if (!isObject(c.content) || c.content.type !== 'text' || typeof c.content.text !== 'string')
        return false;
    } else return false;
  }
  return true;
}
const cleanLocations = (list: unknown) =>
  Array.isArray(list) &&
  list.every((l) => isObject(l) && typeof l.path === 'string' && optional(l.line, true, isUint32));

/** A `tool_call` / `tool_call_update` whose every field the translator reads is well-formed. */
function cleanToolCall(u: Loose): boolean {
  // The SDK turns nulls in a tool_call into defaults (content: []), so only updates may carry them.
  const nullable = u.sessionUpdate === 'tool_call_update';
  if (typeof u.toolCallId !== 'string') return false;
  if (nullable ? !optional(u.title, true, (v) => typeof v === 'string') : typeof u.title !== 'string')
    return false;
  return (
    optional(u.kind, nullable, (v) => typeof v === 'string' && TOOL_KINDS.has(v)) &&
    optional(u.status, nullable, (v) => TOOL_STATUSES.has(v)) &&
    optional(u.content, nullable, cleanToolContent) &&
    optional(u.locations, nullable, cleanLocations)
  );
}

/**
 * The hot messages of a turn: `session/update` notifications carrying a text chunk or a tool call
 * (start or update). Checks by hand every field {@link AcpTranslator.translate} reads, so such a
 * message can skip the SDK's schema validation and per-message dispatch; anything else, or anything
 * the SDK would have to repair or drop, returns null and goes through the SDK, validated.
 */
export function fastUpdate(message: Loose): acp.SessionUpdate | null {
  if (message.method !== 'session/update' || 'id' in message || message.jsonrpc !== '2.0') return null;
  const params = message.params;
  if (!isObject(params) || typeof params.sessionId !== 'string') return null;
  const update = params.update;
  if (!isObject(update)) return null;
  switch (update.sessionUpdate) {
    case 'agent_message_chunk':
    case 'agent_thought_chunk': {
      const content = update.content;
      if (!isObject(content) || content.type !== 'text' || typeof content.text !== 'string') return null;
      if (update.messageId != null && typeof update.messageId !== 'string') return null;
      return update as unknown as acp.SessionUpdate;
    }
    case 'tool_call':
    case 'tool_call_update':
      return cleanToolCall(update) ? (update as unknown as acp.SessionUpdate) : null;
    default:
      return null;
  }
}

/** Maps `session/request_permission` params into core's permission request. */
export function toPermissionRequest(params: acp.RequestPermissionRequest): PermissionRequest {
  const tool = params.toolCall;
  return compact({
    toolCallId: tool.toolCallId ?? null,
    title: tool.title ?? 'Permission requested',
    kind: toolKind(tool.kind) ?? null,
    input: tool.rawInput,
    content: toolContent(tool.content) ?? [],
    options: params.options.map((o) => ({ optionId: o.optionId, name: o.name, kind: o.kind })),
  });
}

export function toPermissionResponse(decision: PermissionDecision): acp.RequestPermissionResponse {
  return decision.outcome === 'selected'
    ? { outcome: { outcome: 'selected', optionId: decision.optionId } }
    : { outcome: { outcome: 'cancelled' } };
}

type EnumChoice = { const?: unknown; title?: unknown; description?: unknown };
const choices = (list: unknown): { value: string; label: string; description: string | null }[] =>
  Array.isArray(list)
    ? (list as EnumChoice[])
        .filter((o) => o && (typeof o.const === 'string' || typeof o.const === 'number'))
        .map((o) => ({
          value: String(o.const),
          label: typeof o.title === 'string' ? o.title : String(o.const),
          description: typeof o.description === 'string' ? o.description : null,
        }))
    : [];

/**
 * Maps a form-mode `elicitation/create` into a core question. Claude Code's AskUserQuestion comes
 * as fields `question_<n>` (a titled `oneOf` enum, or an array of `anyOf` for multi-select) each
 * followed by a free-text `question_<n>_custom`; the custom field is folded into its question.
 * Any other form is mapped field by field. `null` for a URL-mode or unknown-mode elicitation.
 */
export function toQuestionRequest(params: acp.CreateElicitationRequest): QuestionRequest | null {
  if (params.mode !== 'form') return null;
  const schema = (params as { requestedSchema?: acp.ElicitationSchema }).requestedSchema;
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const keys = Object.keys(props);
  const questions: QuestionField[] = [];
  for (const id of keys) {
    if (id.endsWith('_custom') && keys.includes(id.slice(0, -'_custom'.length))) continue;
    const p = props[id] ?? {};
    const multi = p.type === 'array';
    const items = (p.items ?? {}) as Record<string, unknown>;
    const options = multi ? choices(items.anyOf ?? items.oneOf) : choices(p.oneOf ?? p.anyOf);
    if (options.length === 0 && Array.isArray(p.enum)) {
      for (const v of p.enum as unknown[])
        options.push({ value: String(v), label: String(v), description: null });
    }
    const title = typeof p.title === 'string' ? p.title : null;
    const description = typeof p.description === 'string' ? p.description : null;
    questions.push({
      id,
      question: description ?? (keys.length <= 2 ? params.message : (title ?? id)),
      header: title,
      options,
      multiSelect: multi,
      allowCustom: keys.includes(`${id}_custom`) || options.length === 0,
    });
  }
  const toolCallId = (params as { toolCallId?: string | null }).toolCallId ?? null;
  return { toolCallId, message: params.message, questions };
}

/**
 * Maps a core answer back: values that are not options of a question with a custom field go into
 * that custom field, as Claude Code expects; `declined` → `decline`, `cancelled` → `cancel`.
 */
export function toElicitationResponse(
  request: QuestionRequest,
  answer: QuestionAnswer,
): acp.CreateElicitationResponse {
  if (answer.outcome === 'cancelled') return { action: 'cancel' };
  if (answer.outcome === 'declined') return { action: 'decline' };
  const content: Record<string, string | string[]> = {};
  for (const [id, value] of Object.entries(answer.answers)) {
    const field = request.questions.find((q) => q.id === id);
    const isOption = (v: string) => field?.options.some((o) => o.value === v) ?? false;
    const values = Array.isArray(value) ? value : [value];
    const picked = values.filter(isOption);
    const custom = values.filter((v) => !isOption(v));
    if (field?.multiSelect) content[id] = picked;
    else if (picked[0] !== undefined) content[id] = picked[0];
    if (custom.length > 0) {
      if (field && field.options.length > 0) content[`${id}_custom`] = custom.join(', ');
      else content[id] = field?.multiSelect ? custom : custom.join(', ');
    }
  }
  return { action: 'accept', content } as acp.CreateElicitationResponse;
}

export const AUTH_HINT =
  'Claude Code is not logged in: set ANTHROPIC_API_KEY, or run `claude /login`, or point ANTHROPIC_BASE_URL at a gateway.';

function retryAfterMs(text: string, data: unknown): number | undefined {
  if (data && typeof data === 'object') {
    const d = data as Record<string, unknown>;
    if (typeof d.retryAfterMs === 'number') return d.retryAfterMs;
    if (typeof d.retryAfter === 'number') return d.retryAfter * 1000;
  }
  const match = /retry[- _]?after\D{0,5}(\d+(?:\.\d+)?)\s*(ms|s)?/i.exec(text);
  if (!match) return undefined;
  return match[2] === 'ms' ? Number(match[1]) : Number(match[1]) * 1000;
}

/** Maps a JSON-RPC error answered by the agent (to `session/prompt` or another request) into an `AegisError`. */
export function toAegisError(err: unknown, method: string): AegisError {
  if (err instanceof AegisError) return err;
  const e = (err ?? {}) as { code?: unknown; message?: unknown; data?: unknown };
  const code = typeof e.code === 'number' ? e.code : null;
  const message = typeof e.message === 'string' ? e.message : String(err);
  const data = e.data;
  const text = `${message} ${data === undefined ? '' : JSON.stringify(data)}`;
  const details = compact({ method, rpcCode: code ?? undefined, rpcMessage: message, data });
  if (code === -32000 || /authentication required|not logged in|invalid api key/i.test(message)) {
    return new AegisError('AGENT_AUTH_REQUIRED', AUTH_HINT, { details, cause: err });
  }
  const errorKind =
    data && typeof data === 'object' ? (data as { errorKind?: unknown }).errorKind : undefined;
  if (errorKind === 'rate_limit' || /\b429\b|rate[ _-]?limit|overloaded/i.test(text)) {
    const after = retryAfterMs(text, data);
    return new AegisError('RATE_LIMITED', `The model provider rate-limited the turn: ${message}`, {
      details: { ...details, ...(after === undefined ? {} : { retryAfterMs: after }) },
      cause: err,
    });
  }
  return new AegisError('AGENT_PROTOCOL_ERROR', `The agent answered ${method} with an error: ${message}`, {
    details,
    cause: err,
  });
}

/** What Aegis tells an agent about itself at `initialize`: fs access inside the workDir, no terminal. */
export function initializeParams(clientVersion: string): acp.InitializeRequest {
  return {
    protocolVersion: PROTOCOL_VERSION,
    clientInfo: { name: 'aegis', title: 'Aegis', version: clientVersion },
    clientCapabilities: {
      fs: { readTextFile: true, writeTextFile: true },
      terminal: false,
      // Claude Code asks AskUserQuestion through a form elicitation when this is offered.
      elicitation: { form: {} },
    },
  };
}

export function readInitialize(res: acp.InitializeResponse): {
  agentVersion: string | null;
  protocolVersion: number;
  /** `session/load` (`loadSession`), `session/resume` and `session/close` (`sessionCapabilities`). */
  restore: { load: boolean; resume: boolean; close: boolean };
} {
  const caps = res.agentCapabilities;
  return {
    agentVersion: res.agentInfo?.version ?? null,
    protocolVersion: res.protocolVersion,
    restore: {
      load: caps?.loadSession === true,
      resume: caps?.sessionCapabilities?.resume != null,
      close: caps?.sessionCapabilities?.close != null,
    },
  };
}

export function promptParams(sessionId: string, text: string): acp.PromptRequest {
  return { sessionId, prompt: [{ type: 'text', text }] };
}

export function toStopReason(res: acp.PromptResponse): StopReason {
  return STOP_REASONS.has(res.stopReason) ? (res.stopReason as StopReason) : 'end_turn';
}
const STOP_REASONS = new Set<string>(['end_turn', 'max_tokens', 'max_turn_requests', 'refusal', 'cancelled']);
