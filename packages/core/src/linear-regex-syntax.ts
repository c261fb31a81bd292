/**
 * The syntax half of the linear-time matcher (see linear-regex.ts): JavaScript regular expression
 * source (no `u` flag) parsed into a small tree of character sets, sequences, alternations,
 * repetitions and assertions. Backreferences and lookaround, which no linear-time engine can run,
 * are refused here with a message that says what to write instead.
 */

/** Largest `{n,m}` bound, as RE2 has. */
export const MAX_REPEAT = 1000;

/** A pattern the linear matcher cannot run; the message says why and what to write instead. */
export class UnsupportedPatternError extends Error {
  override readonly name = 'UnsupportedPatternError';
}

// ── Character sets: sorted, merged [lo, hi] ranges of UTF-16 code units ──────────────────────

export type Ranges = number[]; // flat pairs lo0, hi0, lo1, hi1, …

const MAX_UNIT = 0xffff;
const DIGIT: Ranges = [0x30, 0x39];
export const WORD: Ranges = [0x30, 0x39, 0x41, 0x5a, 0x5f, 0x5f, 0x61, 0x7a];
const SPACE: Ranges = [
  0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a, 0x2028, 0x2029, 0x202f, 0x202f, 0x205f,
  0x205f, 0x3000, 0x3000, 0xfeff, 0xfeff,
];
const LINE_TERMINATORS: Ranges = [0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029];

export function normalize(r: Ranges): Ranges {
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

export function inRanges(r: Ranges, c: number): boolean {
  for (let i = 0; i < r.length; i += 2) {
    if (c < r[i]!) return false;
    if (c <= r[i + 1]!) return true;
  }
  return false;
}

let canonTable: Uint16Array | undefined;
/** JavaScript's non-unicode `i` Canonicalize: the upper case of a code unit, unless that leaves one unit or maps non-ASCII to ASCII. */
export function canonical(): Uint16Array {
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

export type Assertion = 'start' | 'end' | 'word' | 'notWord';
export type Node =
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

/** Parses a pattern (already known to be valid JavaScript syntax) into its tree. */
export function parsePattern(source: string): Node {
  return new Parser(source).parse();
}
