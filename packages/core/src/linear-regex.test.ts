import { describe, expect, it } from 'vitest';
import { LinearRegex, linearRegexProblem, UnsupportedPatternError } from './linear-regex.js';

/** A small deterministic PRNG, so a failing case can be reproduced. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

// Patterns in JavaScript syntax the rules use, and the corners of that syntax.
const PATTERNS = [
  '^(a+)+$',
  '(a|aa)*b',
  'a*?b',
  '^git (status|diff|log)( |$)',
  '^(npm|pnpm|yarn|npx) (test|run (test|lint|build|typecheck))\\b',
  '(^|[;&|\\s])(sudo|rm\\s+-[a-zA-Z]*[rf]|git\\s+push|git\\s+reset\\s+--hard|curl|wget|chmod|chown|dd)\\b',
  'rm\\s+-rf\\s+/',
  '\\bcat\\b',
  '\\Ba\\B',
  'a{2}',
  'a{2,}b',
  'a{1,3}$',
  'x{,2}',
  'a{',
  '[]a',
  '[^]',
  '[^a-c]+$',
  '[\\d-z]',
  '[a\\-z]',
  '[\\w.]+@',
  '\\d+\\.\\d*',
  '\\D\\W\\S',
  '.',
  '^.*$',
  'a.c',
  '(?:ab)+',
  '(?<n>a|b)c',
  '\\x41\\u0062',
  '\\t|\\n',
  '\\0',
  '\\cJ',
  '\\c',
  '[\\b]',
  '\\/tmp\\/',
  '\\8',
  '(a)|\\2',
  '^$',
  '',
  '|a',
  'a||b',
  '(a*)*b',
  '(a|b?)+c',
  '[a-c]{0,2}(c|b)$',
  '^ab|cd$',
];
const ALPHABET = [
  'a',
  'b',
  'c',
  'd',
  'z',
  'A',
  '-',
  ' ',
  '.',
  '/',
  '\n',
  '0',
  '9',
  '_',
  '@',
  '\t',
  '\0',
  '\b',
  'é',
  ';',
];

describe('LinearRegex agrees with JavaScript', () => {
  it.each(PATTERNS)('%j on random inputs', (pattern) => {
    const re = LinearRegex.compile(pattern);
    const js = new RegExp(pattern);
    const next = rng(pattern.length * 7919 + 17);
    for (let k = 0; k < 400; k++) {
      const len = Math.floor(next() * 12);
      let s = '';
      for (let j = 0; j < len; j++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
      if (re.test(s) !== js.test(s)) {
        throw new Error(
          `${JSON.stringify(pattern)} on ${JSON.stringify(s)}: linear ${re.test(s)}, JavaScript ${js.test(s)}`,
        );
      }
    }
  });

  it.each([
    ['abc', 'ABC', true],
    ['[^a]', 'A', false],
    ['[a-c]x', 'Bx', true],
    ['^.*\\.md$', 'README.MD', true],
  ])('%j with ignoreCase on %j is %s, as /…/i', (pattern, input, expected) => {
    expect(LinearRegex.compile(pattern, { ignoreCase: true }).test(input)).toBe(expected);
    expect(new RegExp(pattern, 'i').test(input)).toBe(expected);
  });
});

describe('LinearRegex DFA cache', () => {
  // [ab]*a[ab]{11}$ needs 2^12 DFA states, more than the cache holds, so it starts over mid-input.
  it('stays correct when its cache of DFA states fills and starts over', () => {
    const pattern = '[ab]*a[ab]{11}$';
    const re = LinearRegex.compile(pattern);
    const js = new RegExp(pattern);
    const next = rng(42);
    for (let k = 0; k < 20; k++) {
      let s = '';
      for (let j = 0; j < 3000; j++) s += next() < 0.5 ? 'a' : 'b';
      const tail = next() < 0.5 ? 'a' : 'b';
      const input = `${s}${tail}${'b'.repeat(11)}`;
      expect(re.test(input)).toBe(js.test(input));
      expect(re.test(`${input}c`)).toBe(false);
    }
  });

  it('reuses one compiled pattern across inputs and word-boundary contexts', () => {
    const re = LinearRegex.compile('\\bcat\\b');
    for (const input of ['cat', 'concat', 'a cat.', 'cats', 'cat cat', '', 'xcat ycat']) {
      expect(re.test(input)).toBe(/\bcat\b/.test(input));
    }
  });
});

describe('LinearRegex time', () => {
  // Attack (issue 22 #2): V8 needs ~2^27 steps for this; doubling per character.
  it('answers ^(a+)+$ on 27 a and "!" — and on 200,000 of them', () => {
    const re = LinearRegex.compile('^(a+)+$');
    expect(re.test(`${'a'.repeat(27)}!`)).toBe(false);
    expect(re.test(`${'a'.repeat(200_000)}!`)).toBe(false);
    expect(re.test('a'.repeat(200_000))).toBe(true);
  });

  it('answers the polynomial blow-up of many stars (a glob like *a*a*a…) on a long input', () => {
    const re = LinearRegex.compile(`^${'.*a'.repeat(40)}$`);
    expect(re.test(`${'a'.repeat(39)}${'b'.repeat(50_000)}`)).toBe(false);
  });
});

describe('patterns the linear matcher refuses', () => {
  it.each([
    ['(?=a)b', /lookaround/],
    ['a(?!b)', /lookaround/],
    ['(?<=a)b', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['(a)\\1', /backreferences/],
    ['(?<x>a)\\k<x>', /backreferences/],
    ['a{1001}', /repetition counts above 1000/],
    ['(a{1000}){1000}', /too large/],
  ])('%j: %s', (pattern, why) => {
    expect(() => LinearRegex.compile(pattern)).toThrow(UnsupportedPatternError);
    expect(linearRegexProblem(pattern)).toMatch(why);
  });

  it('names invalid syntax as such', () => {
    expect(linearRegexProblem('a(')).toMatch(/^not a valid regular expression/);
    expect(linearRegexProblem('^git (status|diff)')).toBeNull();
  });
});
