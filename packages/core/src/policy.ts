import type { PermissionRequest } from './driver.js';
import { cachedLinearRegex, type LinearRegex } from './linear-regex.js';
import type { PermissionPolicy, PermissionVerdict } from './permission-policy.js';
import type { PolicyRule } from './schemas.js';

/**
 * The regular expression source of a glob. `**` matches across `/`; `*` and `?` stay within one
 * path segment unless `anySegment` is set (titles are not paths).
 */
export function globSource(glob: string, anySegment = false): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else out += '.*';
      } else out += anySegment ? '.*' : '[^/]*';
    } else if (ch === '?') out += anySegment ? '.' : '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return `^${out}$`;
}

/**
 * Compiles a glob into a JavaScript regular expression (case-insensitive when `anySegment`). Rules
 * do not use it: a glob of many stars backtracks polynomially in V8; they match with
 * {@link globMatcher}, which runs in linear time.
 */
export function globToRegExp(glob: string, anySegment = false): RegExp {
  return new RegExp(globSource(glob, anySegment), anySegment ? 'i' : '');
}

/** A glob compiled for the linear-time matcher (cached). */
export function globMatcher(glob: string, anySegment = false): LinearRegex {
  return cachedLinearRegex(globSource(glob, anySegment), { ignoreCase: anySegment });
}

const PATH_KEYS = ['file_path', 'path', 'notebook_path', 'filePath'];

/** Paths a permission request touches: diff paths and path-like input fields. */
export function requestPaths(request: PermissionRequest): string[] {
  const paths = new Set<string>();
  for (const c of request.content) if (c.type === 'diff') paths.add(c.path);
  const input = request.input;
  if (input && typeof input === 'object') {
    for (const key of PATH_KEYS) {
      const v = (input as Record<string, unknown>)[key];
      if (typeof v === 'string' && v) paths.add(v);
    }
  }
  return [...paths];
}

/** The shell command of an execute request (`input.command`), else `null`. */
export function requestCommand(request: PermissionRequest): string | null {
  const input = request.input;
  if (input && typeof input === 'object') {
    const cmd = (input as Record<string, unknown>).command;
    if (typeof cmd === 'string') return cmd;
    if (Array.isArray(cmd)) return cmd.join(' ');
  }
  return null;
}

function relativeTo(path: string, workDir: string): string | null {
  const base = workDir.endsWith('/') ? workDir : `${workDir}/`;
  return path.startsWith(base) ? path.slice(base.length) : null;
}

/** Whether every condition of `rule` holds for `request` (in a session working in `workDir`). */
export function ruleMatches(rule: PolicyRule, request: PermissionRequest, workDir: string): boolean {
  if (rule.toolKind !== undefined) {
    const kinds = Array.isArray(rule.toolKind) ? rule.toolKind : [rule.toolKind];
    if (!request.kind || !kinds.includes(request.kind)) return false;
  }
  if (rule.titleGlob !== undefined && !globMatcher(rule.titleGlob, true).test(request.title)) return false;
  if (rule.pathGlob !== undefined) {
    const re = globMatcher(rule.pathGlob);
    const paths = requestPaths(request);
    if (paths.length === 0) return false;
    const hit = (p: string) => {
      const rel = relativeTo(p, workDir);
      return re.test(p) || (rel !== null && re.test(rel));
    };
    // A path rule only vouches for a request when every path it touches matches.
    if (!paths.every(hit)) return false;
  }
  if (rule.commandPattern !== undefined) {
    const cmd = requestCommand(request);
    // Linear time whatever the pattern: a backtracking RegExp here froze the server (^(a+)+$).
    if (cmd === null || !cachedLinearRegex(rule.commandPattern).test(cmd)) return false;
  }
  return true;
}

/** The first matching rule's verdict, or `undefined` when none matches. */
export function evaluateRules(
  rules: readonly PolicyRule[],
  request: PermissionRequest,
  workDir: string,
): PermissionVerdict | undefined {
  for (const rule of rules) {
    let matches: boolean;
    try {
      matches = ruleMatches(rule, request, workDir);
    } catch {
      // A pattern the linear matcher refuses (stored before patterns were checked at create) must
      // neither allow nor be skipped past: a human decides.
      return { decision: 'ask', rule: rule.name };
    }
    if (matches) {
      return { decision: rule.decision, rule: rule.name, ...(rule.scope ? { scope: rule.scope } : {}) };
    }
  }
  return undefined;
}

/**
 * A server-wide rule list as a {@link PermissionPolicy}, replaceable at runtime. Per-session rules
 * (`session.policies`) are combined with it by the engine: this policy is a ceiling, the stricter verdict wins.
 *
 * @example
 * const rules = createRulePolicy([{ name: 'reads', decision: 'allow', toolKind: 'read' }]);
 * const aegis = createAegis({ agent, store, policy: rules.policy });
 * rules.set([]); // from now on every request goes to a human
 */
export function createRulePolicy(initial: readonly PolicyRule[] = []) {
  let rules: PolicyRule[] = [...initial];
  const policy: PermissionPolicy = ({ session, request }) => evaluateRules(rules, request, session.workDir);
  return {
    policy,
    get rules(): PolicyRule[] {
      return structuredClone(rules);
    },
    set(next: readonly PolicyRule[]): void {
      rules = [...next];
    },
  };
}
export type RulePolicy = ReturnType<typeof createRulePolicy>;
