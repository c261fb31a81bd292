/**
 * What a command-running tool call (`kind: 'execute'`, or one with terminal content) shows: the
 * command line and its output, taken from what the agent sent — `rawInput.command`, then
 * `rawOutput` (a string, or stdout/stderr fields), then the tool's text content.
 */

import { t } from '../i18n/index.js';
import type { ToolContent } from './transcript.js';

export interface CommandView {
  command: string | null;
  output: string | null;
  /** Ids of `terminal` content blocks (the agent's own terminals). */
  terminalIds: string[];
}

/** Output past this many characters is cut to its tail: the end of a log is what matters. */
export const MAX_OUTPUT_CHARS = 20_000;

const OUTPUT_FIELDS = ['stdout', 'stderr', 'output', 'formatted_output', 'aggregated_output', 'text'];

export function isCommandTool(t: { toolKind: string | null; content: ToolContent[] }): boolean {
  return t.toolKind === 'execute' || t.content.some((c) => c.type === 'terminal');
}

export function commandView(t: { input?: unknown; output?: unknown; content: ToolContent[] }): CommandView {
  const texts = t.content.flatMap((c) => (c.type === 'text' ? [c.text] : []));
  const output = rawOutputText(t.output) ?? (texts.length ? texts.join('\n') : null);
  return {
    command: commandLine(t.input),
    output: output === null ? null : tail(output),
    terminalIds: t.content.flatMap((c) => (c.type === 'terminal' ? [c.terminalId] : [])),
  };
}

function commandLine(input: unknown): string | null {
  if (typeof input === 'string') return input || null;
  if (!input || typeof input !== 'object') return null;
  const o = input as Record<string, unknown>;
  const c = o.command ?? o.cmd;
  if (typeof c === 'string') return c || null;
  if (Array.isArray(c) && c.every((x) => typeof x === 'string')) return c.join(' ') || null;
  return null;
}

function rawOutputText(out: unknown): string | null {
  if (out === undefined || out === null) return null;
  if (typeof out === 'string') return out;
  if (typeof out !== 'object' || Array.isArray(out)) return JSON.stringify(out, null, 2);
  const o = out as Record<string, unknown>;
  const parts = OUTPUT_FIELDS.flatMap((k) => (typeof o[k] === 'string' && o[k] ? [o[k] as string] : []));
  if (parts.length) return parts.join('\n');
  return Object.keys(o).length ? JSON.stringify(out, null, 2) : null;
}

function tail(text: string): string {
  if (text.length <= MAX_OUTPUT_CHARS) return text;
  const cut = text.length - MAX_OUTPUT_CHARS;
  return `… (${t('tool.cut', { n: cut })})\n${text.slice(cut)}`;
}
