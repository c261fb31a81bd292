/**
 * A linear-time matcher for the regular expressions of permission rules (`commandPattern`) and the
 * globs they compile to. V8's backtracking engine takes exponential time on patterns such as
 * `^(a+)+$`, and a rule is evaluated on the event loop, so one operator's pattern froze the whole
 * server. Here a pattern is compiled to an NFA and simulated over all states at once (Thompson's
 * construction), with each step cached as a DFA transition: time is O(input length × program size)
 * whatever the pattern, and usually one table lookup per character, like RE2.
 *
 * The syntax is JavaScript's (without the `u` flag) minus what no linear engine can do:
 * backreferences (`\1`, `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`). Those are refused
 * when a rule is created ({@link linearRegexProblem}); everything else means what it means to V8.
 * Only `test` (is there a match anywhere) is offered: rules need nothing more.
 */

import {
  type Assertion,
  canonical,
  inRanges,
  type Node,
  normalize,
  parsePattern,
  type Ranges,
  UnsupportedPatternError,
  WORD,
} from './linear-regex-syntax.js';

export { UnsupportedPatternError } from './linear-regex-syntax.js';

/** Largest compiled program; bounds the work per input character. */
const MAX_PROGRAM = 5000;

// ── Program and simulation ───────────────────────────────────────────────────────────────────

const SET = 0;
const SPLIT = 1;
const JMP = 2;
const ASSERT = 3;
const MATCH = 4;

interface Program {
  op: number[];
  a: number[]; // SPLIT/JMP: target; ASSERT: kind index
  b: number[]; // SPLIT: second target
  sets: (Ranges | null)[];
  negate: boolean[];
  ignoreCase: boolean;
}

const ASSERTIONS: Assertion[] = ['start', 'end', 'word', 'notWord'];

function compile(root: Node, ignoreCase: boolean): Program {
  const p: Program = { op: [], a: [], b: [], sets: [], negate: [], ignoreCase };
  const emit = (op: number, a = 0, b = 0, set: Ranges | null = null, negate = false) => {
    if (p.op.length >= MAX_PROGRAM) {
      throw new UnsupportedPatternError(
        `the pattern is too large for the linear-time matcher (over ${MAX_PROGRAM} steps once counted repetitions are expanded); shorten it or use smaller {n,m} bounds`,
      );
    }
    p.op.push(op);
    p.a.push(a);
    p.b.push(b);
    p.sets.push(set);
    p.negate.push(negate);
    return p.op.length - 1;
  };
  const gen = (n: Node): void => {
    switch (n.t) {
      case 'empty':
        return;
      case 'set': {
        let ranges = n.ranges;
        if (ignoreCase) {
          // Add each member's canonical form; test() also canonicalizes the input. Large ranges
          // (from \D, \W, \S inside a class) already hold nearly every case pair and are left as is.
          const canon = canonical();
          const extra: Ranges = [];
          for (let i = 0; i < ranges.length; i += 2) {
            if (ranges[i + 1]! - ranges[i]! > 0x400) continue;
            for (let c = ranges[i]!; c <= ranges[i + 1]!; c++) extra.push(canon[c]!, canon[c]!);
          }
          ranges = normalize([...ranges, ...extra]);
        }
        emit(SET, 0, 0, ranges, n.negate);
        return;
      }
      case 'cat':
        for (const item of n.items) gen(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        n.items.forEach((item, k) => {
          if (k < n.items.length - 1) {
            const split = emit(SPLIT, p.op.length + 1);
            gen(item);
            jumps.push(emit(JMP));
            p.b[split] = p.op.length;
          } else gen(item);
        });
        for (const j of jumps) p.a[j] = p.op.length;
        return;
      }
      case 'rep': {
        for (let k = 0; k < n.min; k++) gen(n.item);
        if (n.max === Number.POSITIVE_INFINITY) {
          const split = emit(SPLIT, p.op.length + 1);
          gen(n.item);
          emit(JMP, split);
          p.b[split] = p.op.length;
        } else {
          const splits: number[] = [];
          for (let k = n.min; k < n.max; k++) {
            splits.push(emit(SPLIT, p.op.length + 1));
            gen(n.item);
          }
          for (const s of splits) p.b[s] = p.op.length;
        }
        return;
      }
      case 'assert':
        emit(ASSERT, ASSERTIONS.indexOf(n.kind));
        return;
    }
  };
  gen(root);
  emit(MATCH);
  return p;
}

const isWordUnit = (c: number) => inRanges(WORD, c);

/** Bounds of the lazily built DFA cache of one pattern; past them it starts over (as RE2 does). */
const MAX_DFA_STATES = 2000;
const MAX_DFA_CELLS = 1_000_000;

/** What the assertions can see at a position. */
interface Context {
  atStart: boolean;
  atEnd: boolean;
  prevWord: boolean;
  nextWord: boolean;
}

/**
 * A compiled pattern; {@link LinearRegex.test} runs in time linear in the input. The NFA is
 * simulated one step per input character; each step's result (from a set of states, on a character,
 * in a context) is cached as a DFA transition, so repeated steps cost one lookup instead of a walk
 * over every active state.
 */
export class LinearRegex {
  readonly #prog: Program;
  readonly #mark: Int32Array;
  #generation = 0;
  #states: number[][] = [];
  #ids = new Map<string, number>();
  #next: Map<number, number>[] = [];
  #cells = 0;
  #epoch = 0;

  private constructor(
    readonly source: string,
    prog: Program,
  ) {
    this.#prog = prog;
    this.#mark = new Int32Array(prog.op.length).fill(-1);
  }

  /**
   * Compiles a JavaScript regular expression source. Throws `SyntaxError` for an invalid pattern and
   * {@link UnsupportedPatternError} for backreferences, lookaround or an oversized program.
   *
   * @example
   * LinearRegex.compile('^(a+)+$').test(`${'a'.repeat(50_000)}!`) // false, in milliseconds
   */
  static compile(source: string, options: { ignoreCase?: boolean } = {}): LinearRegex {
    new RegExp(source); // JavaScript's own syntax check (compiling does not run the backtracker)
    const ast = parsePattern(source);
    return new LinearRegex(source, compile(ast, options.ignoreCase === true));
  }

  /** Whether the pattern matches anywhere in `input` (as `RegExp.prototype.test` without flags). */
  test(input: string): boolean {
    const len = input.length;
    const wordAt = (pos: number) => pos < len && isWordUnit(input.charCodeAt(pos));
    const first = this.#closure([0], -1, {
      atStart: true,
      atEnd: len === 0,
      prevWord: false,
      nextWord: wordAt(0),
    });
    if (first === null) return true;
    let state = this.#intern(first);
    for (let i = 0; i < len; i++) {
      const c = input.charCodeAt(i);
      const nextWord = wordAt(i + 1);
      const atEnd = i + 1 === len;
      const key = c * 4 + (nextWord ? 2 : 0) + (atEnd ? 1 : 0);
      const known = this.#next[state]!.get(key);
      if (known !== undefined) {
        state = known;
        continue;
      }
      const pcs = this.#closure(this.#states[state]!, c, {
        atStart: false,
        atEnd,
        prevWord: isWordUnit(c),
        nextWord,
      });
      if (pcs === null) return true;
      const from = this.#next[state]!;
      const epoch = this.#epoch;
      const to = this.#intern(pcs);
      // #intern may have started the cache over; then `from` belongs to no state any more.
      if (this.#epoch === epoch) from.set(key, to);
      state = to;
    }
    return false;
  }

  /**
   * One NFA step: the SET states of `from` that accept `c` advance (all of `from` when `c` is -1, the
   * start), a new attempt starts at this position (the match is unanchored), and everything reachable
   * without reading a character is followed. Returns the sorted SET states, or null on MATCH.
   */
  #closure(from: number[], c: number, ctx: Context): number[] | null {
    const { op, a, b, sets, negate, ignoreCase } = this.#prog;
    const mark = this.#mark;
    if (this.#generation > 2_000_000_000) {
      mark.fill(-1);
      this.#generation = 0;
    }
    const gen = ++this.#generation;
    const stack: number[] = [0];
    if (c >= 0) {
      const cc = ignoreCase ? canonical()[c]! : c;
      for (const pc of from) {
        const set = sets[pc]!;
        const hit = inRanges(set, c) || (cc !== c && inRanges(set, cc));
        if (hit !== negate[pc]) stack.push(pc + 1);
      }
    }
    const out: number[] = [];
    while (stack.length > 0) {
      const pc = stack.pop()!;
      if (mark[pc] === gen) continue;
      mark[pc] = gen;
      switch (op[pc]) {
        case SET:
          out.push(pc);
          break;
        case SPLIT:
          stack.push(b[pc]!, a[pc]!);
          break;
        case JMP:
          stack.push(a[pc]!);
          break;
        case ASSERT:
          if (holds(a[pc]!, ctx)) stack.push(pc + 1);
          break;
        case MATCH:
          return null;
      }
    }
    return out.sort((x, y) => x - y);
  }

  #intern(pcs: number[]): number {
    const key = pcs.join(',');
    const known = this.#ids.get(key);
    if (known !== undefined) return known;
    if (this.#states.length >= MAX_DFA_STATES || this.#cells + pcs.length > MAX_DFA_CELLS) {
      this.#states = [];
      this.#ids = new Map();
      this.#next = [];
      this.#cells = 0;
      this.#epoch++;
    }
    const id = this.#states.length;
    this.#states.push(pcs);
    this.#next.push(new Map());
    this.#ids.set(key, id);
    this.#cells += pcs.length + 1;
    return id;
  }
}

function holds(kind: number, ctx: Context): boolean {
  switch (kind) {
    case 0:
      return ctx.atStart;
    case 1:
      return ctx.atEnd;
    default:
      return (ctx.prevWord !== ctx.nextWord) === (kind === 2);
  }
}

/**
 * Why `source` cannot be a rule pattern, or `null` when it can: not valid JavaScript regex syntax,
 * or not runnable in linear time (backreferences, lookaround, oversized repetitions).
 */
export function linearRegexProblem(source: string): string | null {
  try {
    LinearRegex.compile(source);
    return null;
  } catch (err) {
    if (err instanceof UnsupportedPatternError) return err.message;
    return `not a valid regular expression (${err instanceof Error ? err.message : String(err)})`;
  }
}

const cache = new Map<string, LinearRegex>();
const CACHE_MAX = 1000;

/** {@link LinearRegex.compile} with a bounded cache: rules are evaluated on every permission request. */
export function cachedLinearRegex(source: string, options: { ignoreCase?: boolean } = {}): LinearRegex {
  const key = `${options.ignoreCase ? 'i' : '-'}${source}`;
  let re = cache.get(key);
  if (!re) {
    re = LinearRegex.compile(source, options);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(key, re);
  }
  return re;
}
