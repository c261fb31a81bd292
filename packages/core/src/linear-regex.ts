/**
 * A linear-time matcher for the regular expressions of permission rules (`commandPattern`) and the
 * globs they compile to. V8's backtracking engine takes exponential time on patterns such as
 * `^(a+)+$`, and a rule is evaluated on the event loop, so one operator's pattern froze the whole
 * server. Here a pattern is compiled to an NFA and simulated over all states at once (Thompson's
 * construction): time is O(input length × program size) whatever the pattern, like RE2.
 *
 * The syntax is JavaScript's (without the `u` flag) minus what no linear engine can do:
 * backreferences (`\1`, `\k<name>`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`). Those are refused
 * when a rule is created ({@link linearRegexProblem}); everything else means what it means to V8.
 * Only `test` (is there a match anywhere) is offered: rules need nothing more.
 */

/** Largest compiled program; bounds the work per input character. */
const MAX_PROGRAM = 5000;
/** Largest `{n,m}` bound, as RE2 has. */
const MAX_REPEAT = 1000;

/** A pattern the linear matcher cannot run; the message says why and what to write instead. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

// ── Character sets: sorted, merged [lo, hi] ranges of UTF-16 code units ──────────────────────

type Ranges = number[]; // flat pairs lo0, hi0, lo1, hi1, …

const MAX_UNIT = 0xffff;
const DIGIT: Ranges = [0x30, 0x39];
const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: Ranges = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];
const LINE_TERMINATORS: Ranges = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];

function normalize(r: Ranges): Ranges {
  const pairs: [number, number][] = [];
  for (let i = 0; i < r.length; i += 2) pairs.push([r[i]!, r[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  for (const [lo, hi] of pairs) {
    const last = out.length - 1;
    if (out.length > 0 && lo <= out[last]! + 1) out[last] = Math.max(out[last]!, hi);
    else out.push(lo, hi);
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const n = normalize(r);
  const out: Ranges = [];
  let next = 0;
  for (let i = 0; i < n.length; i += 2) {
    if (n[i]! > next) out.push(next, n[i]! - 1);
    next = n[i + 1]! + 1;
  }
  if (next <= MAX_UNIT) out.push(next, MAX_UNIT);
  return out;
}

function inRanges(r: Ranges, c: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (c < r[i]!) return false;
    if (c <= r[i + 1]!) return true;
  }
  return false;
}

let canonTable: Uint16Array | undefined;
/** JavaScript's non-unicode `i` Canonicalize: the upper case of a code unit, unless that leaves one unit or maps non-ASCII to ASCII. */
function canonical(): Uint16Array {
  if (!canonTable) {
    canonTable = new Uint16Array(MAX_UNIT + 1);
    for (let c = 0; c <= MAX_UNIT; c++) {
      const u = String.fromCharCode(c).toUpperCase();
      const cu = u.length === 1 ? u.charCodeAt(0) : c;
      canonTable[c] = c >= 128 && cu < 128 ? c : cu;
    }
  }
  return canonTable;
}

// ── Syntax tree ──────────────────────────────────────────────────────────────────────────────

type Assertion = 'start' | 'end' | 'word' | 'notWord';
type Node =
  | { t: 'empty' }
  | { t: 'set'; ranges: Ranges; negate: boolean }
  | { t: 'cat'; items: Node[] }
  | { t: 'alt'; items: Node[] }
  | { t: 'rep'; item: Node; min: number; max: number }
  | { t: 'assert'; kind: Assertion };

const LOOKAROUND =
  'lookaround ((?=…), (?!…), (?<=…), (?<!…)) is not supported by the linear-time matcher that evaluates rules; ' +
  'write the condition without it, e.g. a separate deny or ask rule placed before the allow rule';
const BACKREFERENCE =
  'backreferences (\\1, \\k<name>) are not supported by the linear-time matcher that evaluates rules; ' +
  'spell out the repeated text or use a broader pattern';

class Parser {
  private i = 0;
  private readonly groups: number;
  private readonly named: boolean;

  constructor(private readonly src: string) {
    this.groups = countCaptureGroups(src);
    this.named = /\(\?<[^=!]/.test(src);
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new SyntaxError(`unexpected "${this.src[this.i]}"`);
    return node;
  }

  private peek(k = 0): string | undefined {
    return this.src[this.i + k];
  }

  private alternation(): Node {
    const items = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.sequence());
    }
    return items.length === 1 ? items[0]! : { t: 'alt', items };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.repetition());
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0]! : { t: 'cat', items };
  }

  private repetition(): Node {
    let node = this.atom();
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
      else if (c === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
        if (!m) return node; // a literal "{" (Annex B), read by the next atom
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
        if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT)) {
          throw new UnsupportedPatternError(
            `repetition counts above ${MAX_REPEAT} are not supported; use a smaller bound or * / +`,
          );
        }
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.peek() === '?') this.i++; // lazy or greedy: the same for "is there a match"
      node = { t: 'rep', item: node, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        return { t: 'set', ranges: LINE_TERMINATORS, negate: true };
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '\\':
        return this.escape();
      default:
        return literal(c.charCodeAt(0));
    }
  }

  private group(): Node {
    if (this.peek() === '?') {
      const next = this.peek(1);
      if (next === '=' || next === '!') throw new UnsupportedPatternError(LOOKAROUND);
      if (next === '<' && (this.peek(2) === '=' || this.peek(2) === '!')) {
        throw new UnsupportedPatternError(LOOKAROUND);
      }
      if (next === ':') this.i += 2;
      else if (next === '<') this.i = this.src.indexOf('>', this.i) + 1;
      else throw new SyntaxError('unknown group syntax');
    }
    const inner = this.alternation();
    if (this.src[this.i++] !== ')') throw new SyntaxError('unterminated group');
    return inner;
  }

  private escape(): Node {
    const c = this.src[this.i++];
    if (c === undefined) throw new SyntaxError('\\ at end of pattern');
    if (c === 'b') return { t: 'assert', kind: 'word' };
    if (c === 'B') return { t: 'assert', kind: 'notWord' };
    if (c === 'k' && this.named && this.peek() === '<') throw new UnsupportedPatternError(BACKREFERENCE);
    if (c >= '1' && c <= '9') {
      const digits = /^\d*/.exec(this.src.slice(this.i))![0];
      if (Number(c + digits) <= this.groups) throw new UnsupportedPatternError(BACKREFERENCE);
    }
    const set = this.escapeSet(c);
    if (set) return { t: 'set', ranges: set, negate: false };
    if (c === 'c' && !/[A-Za-z]/.test(this.peek() ?? '')) {
      return { t: 'cat', items: [literal(0x5c), literal(0x63)] }; // Annex B: "\c" is a backslash, then "c"
    }
    return literal(this.escapeUnit(c, false));
  }

  /** The class escapes \d \D \w \W \s \S, or null. */
  private escapeSet(c: string): Ranges | null {
    switch (c) {
      case 'd':
        return DIGIT;
      case 'D':
        return complement(DIGIT);
      case 'w':
        return WORD;
      case 'W':
        return complement(WORD);
      case 's':
        return SPACE;
      case 'S':
        return complement(SPACE);
      default:
        return null;
    }
  }

  /** The code unit an escape (after the backslash, `c` already read) stands for. */
  private escapeUnit(c: string, inClass: boolean): number {
    const hex = (len: number) => {
      const h = this.src.slice(this.i, this.i + len);
      if (h.length === len && /^[0-9A-Fa-f]+$/.test(h)) {
        this.i += len;
        return Number.parseInt(h, 16);
      }
      return null;
    };
    switch (c) {
      case 't':
        return 0x09;
      case 'n':
        return 0x0a;
      case 'v':
        return 0x0b;
      case 'f':
        return 0x0c;
      case 'r':
        return 0x0d;
      case 'x':
        return hex(2) ?? 0x78;
      case 'u':
        return hex(4) ?? 0x75;
      case 'c': {
        const l = this.peek() ?? '';
        if (/[A-Za-z]/.test(l) || (inClass && /[0-9_]/.test(l))) {
          this.i++;
          return l.charCodeAt(0) % 32;
        }
        return 0x5c; // inside a class, Annex B reads "\c" as a backslash and leaves "c"
      }
      case 'b':
        return 0x08; // only reached inside a class: backspace
      default:
        if (c >= '0' && c <= '7') {
          // Annex B legacy octal (and \0): up to three digits, at most 0o377.
          let digits = c;
          while (
            digits.length < 3 &&
            /[0-7]/.test(this.peek() ?? '') &&
            Number.parseInt(digits + this.peek(), 8) <= 0o377
          ) {
            digits += this.src[this.i++];
          }
          return Number.parseInt(digits, 8);
        }
        return c.charCodeAt(0); // identity escape
    }
  }

  private charClass(): Node {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const ranges: Ranges = [];
    // "[]" matches nothing and "[^]" anything, as in JavaScript.
    while (this.peek() !== ']') {
      if (this.i >= this.src.length) throw new SyntaxError('unterminated character class');
      const lo = this.classAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        const save = this.i;
        this.i++;
        const hi = this.classAtom();
        if (typeof lo === 'number' && typeof hi === 'number') {
          if (hi < lo) throw new SyntaxError('range out of order in character class');
          ranges.push(lo, hi);
          continue;
        }
        // Annex B: a class escape next to "-" makes the "-" literal.
        this.i = save;
      }
      if (typeof lo === 'number') ranges.push(lo, lo);
      else ranges.push(...lo);
    }
    this.i++; // "]"
    return { t: 'set', ranges: normalize(ranges), negate };
  }

  /** One class member: a code unit, or the ranges of \d \w \s and their negations. */
  private classAtom(): number | Ranges {
    const c = this.src[this.i++]!;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.i++];
    if (e === undefined) throw new SyntaxError('\\ at end of pattern');
    return this.escapeSet(e) ?? this.escapeUnit(e, true);
  }
}

function literal(c: number): Node {
  return { t: 'set', ranges: [c, c], negate: false };
}

function countCaptureGroups(src: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && (src[i + 1] !== '?' || (src[i + 2] === '<' && !'=!'.includes(src[i + 3] ?? ''))))
      n++;
  }
  return n;
}

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

/** A compiled pattern; {@link LinearRegex.test} runs in time linear in the input. */
export class LinearRegex {
  readonly #prog: Program;
  readonly #mark: Int32Array;
  #generation = 0;

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
    const ast = new Parser(source).parse();
    return new LinearRegex(source, compile(ast, options.ignoreCase === true));
  }

  /** Whether the pattern matches anywhere in `input` (as `RegExp.prototype.test` without flags). */
  test(input: string): boolean {
    const { op, a, b, sets, negate, ignoreCase } = this.#prog;
    const canon = ignoreCase ? canonical() : undefined;
    const mark = this.#mark;
    const len = input.length;
    let clist: number[] = [];
    let nlist: number[] = [];
    const stack: number[] = [];
    // Generations restart before the Int32 marks could overflow.
    if (this.#generation > 2_000_000_000) {
      mark.fill(-1);
      this.#generation = 0;
    }
    const holds = (kind: number, pos: number) => {
      switch (kind) {
        case 0:
          return pos === 0;
        case 1:
          return pos === len;
        default: {
          const before = pos > 0 && isWordUnit(input.charCodeAt(pos - 1));
          const after = pos < len && isWordUnit(input.charCodeAt(pos));
          return (before !== after) === (kind === 2);
        }
      }
    };
    /** Adds `pc` and everything reachable from it without reading a character; true on MATCH. */
    const add = (list: number[], start: number, pos: number, gen: number): boolean => {
      stack.push(start);
      while (stack.length > 0) {
        const pc = stack.pop()!;
        if (mark[pc] === gen) continue;
        mark[pc] = gen;
        switch (op[pc]) {
          case SET:
            list.push(pc);
            break;
          case SPLIT:
            stack.push(b[pc]!, a[pc]!);
            break;
          case JMP:
            stack.push(a[pc]!);
            break;
          case ASSERT:
            if (holds(a[pc]!, pos)) stack.push(pc + 1);
            break;
          case MATCH:
            stack.length = 0;
            return true;
        }
      }
      return false;
    };
    let gen = ++this.#generation;
    if (add(clist, 0, 0, gen)) return true;
    for (let i = 0; i < len; i++) {
      gen = ++this.#generation;
      const c = input.charCodeAt(i);
      const cc = canon ? canon[c]! : c;
      for (const pc of clist) {
        const set = sets[pc]!;
        const hit = inRanges(set, c) || (cc !== c && inRanges(set, cc));
        if (hit !== negate[pc] && add(nlist, pc + 1, i + 1, gen)) return true;
      }
      // Unanchored: a match may also start at the next position.
      if (add(nlist, 0, i + 1, gen)) return true;
      [clist, nlist] = [nlist, clist];
      nlist.length = 0;
    }
    return false;
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
