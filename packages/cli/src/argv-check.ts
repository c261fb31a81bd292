import type { ArgsDef, CommandDef } from 'citty';

/**
 * citty ignores flags it does not know (`ag create --promt hi` created a session without the prompt)
 * and answers an unknown command with the whole help. This walks the command line the way citty
 * will (subcommands, the default command, value flags) and finds the first unknown command or flag,
 * with a "did you mean" from the names that exist. `--help` and `--version` are left to citty.
 */

type Resolvable<T> = T | Promise<T> | (() => T | Promise<T>);
const resolve = async <T>(v: Resolvable<T>): Promise<T> =>
  typeof v === 'function' ? (v as () => T | Promise<T>)() : v;

const BUILTIN = new Set(['help', 'h', 'version', 'v']);
const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest of `names` to `typed`, if close enough to be a typo. */
export function closest(typed: string, names: string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(typed.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

interface Flag {
  name: string;
  takesValue: boolean;
}

function flagsOf(args: ArgsDef): Map<string, Flag> {
  const flags = new Map<string, Flag>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    const flag = { name: kebab(name), takesValue: def.type === 'string' || def.type === 'enum' };
    const alias = (def as { alias?: string | string[] }).alias;
    const aliases = alias === undefined ? [] : Array.isArray(alias) ? alias : [alias];
    for (const n of [name, kebab(name), ...aliases]) flags.set(camel(n), flag);
  }
  return flags;
}

export type ArgvProblem = { kind: 'command' | 'flag'; message: string };

/**
 * The first unknown command or flag in `rawArgs` for `main`, or null when the line is fine.
 * `defaulted` is set when no command was named and the default one runs.
 */
export async function checkArgv(
  main: CommandDef,
  rawArgs: string[],
): Promise<{ problem: ArgvProblem | null; defaulted: string | null }> {
  if (
    rawArgs.some((a) => a === '--help' || a === '-h') ||
    (rawArgs.length === 1 && ['--version', '-v'].includes(rawArgs[0]!))
  )
    return { problem: null, defaulted: null };
  let cmd = main;
  let rest = rawArgs;
  const path: string[] = [];
  let defaulted: string | null = null;
  for (;;) {
    const flags = flagsOf(await resolve((cmd.args ?? {}) as Resolvable<ArgsDef>));
    const subs = await resolve(cmd.subCommands ?? {});
    const names = Object.keys(subs);
    if (names.length === 0) break;
    let i = 0;
    for (; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--') {
        i = rest.length;
        break;
      }
      if (!a.startsWith('-')) break;
      if (!a.includes('=') && flags.get(camel(a.replace(/^-+/, '')))?.takesValue) i++;
    }
    const name = rest[i];
    const where = ['ag', ...path].join(' ');
    if (name === undefined) {
      const fallback = cmd.default ? await resolve(cmd.default) : undefined;
      if (!fallback) break;
      defaulted = [...path, fallback].join(' ');
      cmd = await resolve(subs[fallback] as Resolvable<CommandDef>);
      continue;
    }
    // `ag --port 9200 serve`, `ag --json list`: options written before the command they belong to
    // (citty would take `9200` for the command, or drop `--json` without a word).
    const misplaced = rest
      .slice(0, i)
      .some((a) => a.startsWith('-') && !flags.has(camel(a.replace(/^-+/, '').split('=')[0]!)));
    const sub = misplaced ? rest.findIndex((a) => a in subs) : -1;
    const fallback = misplaced && sub < 0 && cmd.default ? await resolve(cmd.default) : undefined;
    if (sub >= 0 || fallback) {
      const line = (
        sub >= 0
          ? [where, rest[sub], ...rest.slice(0, sub), ...rest.slice(sub + 1)]
          : [where, fallback, ...rest]
      ).join(' ');
      return {
        problem: { kind: 'command', message: `Options go after the command they are for: \`${line}\`.` },
        defaulted,
      };
    }
    if (!(name in subs)) {
      const guess = closest(name, names);
      return {
        problem: {
          kind: 'command',
          message: `Unknown command \`${where} ${name}\`${guess ? `; did you mean \`${where} ${guess}\`?` : '.'} The commands: ${names.join(', ')} (\`${where} --help\` says more).`,
        },
        defaulted,
      };
    }
    path.push(name);
    cmd = await resolve(subs[name] as Resolvable<CommandDef>);
    rest = rest.slice(i + 1);
  }
  const flags = flagsOf(await resolve((cmd.args ?? {}) as Resolvable<ArgsDef>));
  const where = ['ag', ...(path.length ? path : defaulted ? [defaulted] : [])].join(' ');
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-' || /^-\d/.test(a)) continue;
    const long = a.startsWith('--');
    const body = a.replace(/^-+/, '').split('=')[0]!;
    const names = long
      ? [body.startsWith('no-') && !flags.has(camel(body)) ? body.slice(3) : body]
      : [...body];
    for (const n of names) {
      if (BUILTIN.has(n)) continue;
      const flag = flags.get(camel(n));
      if (!flag) {
        const shown = long ? `--${body}` : `-${n}`;
        const known = [...new Set([...flags.values()].map((f) => f.name))];
        const guess = closest(n, known);
        return {
          problem: {
            kind: 'flag',
            message: `Unknown option ${shown} for \`${where}\`${guess ? `; did you mean --${guess}?` : '.'} See \`${where} --help\`.`,
          },
          defaulted,
        };
      }
      if (flag.takesValue && !a.includes('=') && (long || names.length === 1)) i++;
    }
  }
  return { problem: null, defaulted };
}
