import { randomUUID } from 'node:crypto';
import type { AgentCommand, AgentEventBody, AgentMode } from '@aegis/core';
import type * as acp from '@agentclientprotocol/sdk';
import { compact, contentText, toolFields } from './tool-fields.js';

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
