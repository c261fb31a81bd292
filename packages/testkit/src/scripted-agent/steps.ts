/**
 * The step language of the scripted ACP agent. A prompt whose text starts with `script:` followed
 * by a JSON array of steps makes the agent perform exactly those steps; see README.md.
 */

export interface ScriptToolStep {
  title: string;
  kind: 'read' | 'edit' | 'delete' | 'move' | 'search' | 'execute' | 'think' | 'fetch' | 'other';
  input?: unknown;
  diff?: { path: string; oldText?: string | null; newText: string };
  /** Ask `session/request_permission` first (skipped in acceptEdits for edits, and in bypassPermissions). */
  permission?: boolean;
  /** Written (relative to the session cwd) once the tool is allowed or needs no permission. */
  write?: { path: string; content: string };
  /** Final status when the tool runs; default `completed`. */
  result?: 'completed' | 'failed';
  output?: string;
}

export type ScriptStep =
  | { say: string; chunks?: number }
  | { think: string }
  | { tool: ScriptToolStep }
  | {
      plan: {
        content: string;
        priority: 'high' | 'medium' | 'low';
        status: 'pending' | 'in_progress' | 'completed';
      }[];
    }
  | { usage: { used: number; size: number; cost?: number } }
  /** Tokens this turn used: added up and reported in the `session/prompt` response's `usage`. */
  | { tokens: { input: number; output: number; cacheRead?: number; cacheWrite?: number } }
  | { title: string }
  | { sleep: number }
  | { waitForCancel: true }
  | { hang: true }
  | { crash: number; stderr?: string }
  | { garbage: string }
  | { fail: { code: number; message: string; data?: unknown } }
  | { chunksBulk: number }
  /** `n` one-character thought chunks sent as fast as possible: one event each (thoughts are not joined). */
  | { thoughtsBulk: number }
  | { tools: number }
  /** Tool calls started together, like a model's parallel tool use: their permission requests overlap. */
  | { parallel: ScriptToolStep[] }
  | { echoEnv: string[] }
  /**
   * Tries what a file tool would (read each path; `write:` prefix writes there) and says
   * `{"<path>": "<content>" | "ERR:<code>"}`: what the agent can see (sandbox tests).
   */
  | { probeFiles: string[] }
  /** Says `{"prompts": n, "first": …, "last": …}`: the session's earlier prompts (80 chars each). */
  | { recall: true }
  | { ask: { question: string; header?: string; options?: string[]; multiSelect?: boolean } }
  | { stop: 'end_turn' | 'max_tokens' | 'max_turn_requests' | 'refusal' };

export const SCRIPT_PREFIX = 'script:';

/**
 * Builds the prompt text that makes the scripted agent perform `steps`.
 *
 * @example
 * await handle.prompt(script({ say: 'hi' }, { tool: { title: 'Write a.txt', kind: 'edit', permission: true } }))
 */
export function script(...steps: ScriptStep[]): string {
  return SCRIPT_PREFIX + JSON.stringify(steps);
}

/** Parses a prompt into steps; `null` when the prompt is not a script. Throws on a malformed script. */
export function parseScript(text: string): ScriptStep[] | null {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith(SCRIPT_PREFIX)) return null;
  const parsed: unknown = JSON.parse(trimmed.slice(SCRIPT_PREFIX.length));
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== 'object' || s === null)) {
    throw new Error('script: must be followed by a JSON array of step objects');
  }
  return parsed as ScriptStep[];
}
