import { describe, expect, it } from 'vitest';
import type { PermissionRequest } from './driver.js';
import { createRulePolicy, evaluateRules, globMatcher, globToRegExp } from './policy.js';
import { PolicyRule } from './schemas.js';

const options = [
  { optionId: 'a', name: 'Allow', kind: 'allow_once' as const },
  { optionId: 'r', name: 'Reject', kind: 'reject_once' as const },
];
const write = (path: string): PermissionRequest => ({
  toolCallId: 't',
  title: `Write ${path}`,
  kind: 'edit',
  input: { file_path: path },
  content: [{ type: 'diff', path, oldText: null, newText: 'x' }],
  options,
});
const bash = (command: string): PermissionRequest => ({
  toolCallId: 't',
  title: command,
  kind: 'execute',
  input: { command },
  content: [],
  options,
});

describe('permission policy rules', () => {
  it.each([
    ['src/**/*.ts', 'src/a/b/c.ts', true],
    ['src/**/*.ts', 'src/c.ts', true],
    ['src/*.ts', 'src/a/c.ts', false],
    ['*.md', 'README.md', true],
    ['/etc/**', '/etc/passwd', true],
  ])('glob %s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
    expect(globMatcher(glob).test(path)).toBe(expected);
  });

  it('the first matching rule decides, per condition', () => {
    const rules: PolicyRule[] = [
      { name: 'no-rm', decision: 'deny', commandPattern: '^rm\\b' },
      { name: 'docs', decision: 'allow', toolKind: 'edit', pathGlob: 'docs/**' },
      { name: 'tests', decision: 'allow', commandPattern: '^(npm|pnpm) test' },
      { name: 'writes', decision: 'ask', toolKind: ['edit', 'delete'] },
    ];
    const wd = '/repo';
    expect(evaluateRules(rules, bash('rm -rf /'), wd)).toMatchObject({ decision: 'deny', rule: 'no-rm' });
    expect(evaluateRules(rules, write('/repo/docs/a.md'), wd)).toMatchObject({
      decision: 'allow',
      rule: 'docs',
    });
    expect(evaluateRules(rules, write('/repo/src/a.ts'), wd)).toMatchObject({
      decision: 'ask',
      rule: 'writes',
    });
    expect(evaluateRules(rules, bash('pnpm test --run'), wd)).toMatchObject({ rule: 'tests' });
    expect(evaluateRules(rules, bash('curl x'), wd)).toBeUndefined();
  });

  it('title globs ignore case and span slashes', () => {
    const rules: PolicyRule[] = [{ name: 't', decision: 'allow', titleGlob: 'write */tmp/*' }];
    expect(evaluateRules(rules, write('/x/tmp/a'), '/x')?.rule).toBe('t');
  });

  it('a rule policy can be replaced at runtime', () => {
    const p = createRulePolicy([{ name: 'all', decision: 'allow' }]);
    const session = { workDir: '/repo' } as never;
    expect(p.policy({ session, request: bash('ls') })).toMatchObject({ rule: 'all' });
    p.set([]);
    expect(p.policy({ session, request: bash('ls') })).toBeUndefined();
    expect(p.rules).toEqual([]);
  });
});

describe('rule patterns cannot block the event loop (issue 22 #2)', () => {
  const wd = '/repo';

  // The attack: an operator's ^(a+)+$ and a command of 27 "a" and "!" took V8 4.6 s, doubling per
  // character. 40 of them would take days with a backtracking engine; here the answer is immediate.
  it('evaluates ^(a+)+$ against 40 "a" and "!" (no match) and against a long run of "a" (match)', () => {
    const rules: PolicyRule[] = [{ name: 'redos', decision: 'deny', commandPattern: '^(a+)+$' }];
    expect(evaluateRules(rules, bash(`${'a'.repeat(40)}!`), wd)).toBeUndefined();
    expect(evaluateRules(rules, bash('a'.repeat(100_000)), wd)).toMatchObject({
      decision: 'deny',
      rule: 'redos',
    });
  });

  it('evaluates a glob of many stars against a long title and path', () => {
    const rules: PolicyRule[] = [
      { name: 'title', decision: 'allow', titleGlob: `${'*a'.repeat(60)}*b` },
      { name: 'path', decision: 'allow', pathGlob: `${'*a'.repeat(60)}*b` },
    ];
    const long = 'a'.repeat(5_000);
    expect(evaluateRules(rules, { ...write(`/repo/${long}`), title: long }, wd)).toBeUndefined();
  });

  it.each(['(?=x)', '(a)\\1', 'a(?<!b)'])('refuses %s in a rule, saying why', (commandPattern) => {
    const parsed = PolicyRule.safeParse({ name: 'r', decision: 'allow', commandPattern });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/not supported by the linear-time matcher/);
  });

  it('a stored rule whose pattern the matcher refuses hands the request to a human', () => {
    const rules = [
      { name: 'old', decision: 'deny', commandPattern: '^(?!git )' },
      { name: 'all', decision: 'allow' },
    ] as PolicyRule[];
    expect(evaluateRules(rules, bash('rm -rf /'), wd)).toEqual({ decision: 'ask', rule: 'old' });
  });
});
