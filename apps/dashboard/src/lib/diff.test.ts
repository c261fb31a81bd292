import { describe, expect, it } from 'vitest';
import { diffLines, diffTexts, formatUnified, splitLines, toHunks } from './diff.js';

const ops = (a: string, b: string) =>
  diffLines(splitLines(a), splitLines(b))!.map(
    (l) => `${l.op === 'add' ? '+' : l.op === 'del' ? '-' : ' '}${l.text}`,
  );

describe('line diff', () => {
  it('splits lines without a phantom last line and handles CRLF', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\r\nb')).toEqual(['a', 'b']);
    expect(splitLines('')).toEqual([]);
    expect(splitLines(null)).toEqual([]);
  });

  it('finds a minimal edit script', () => {
    expect(ops('a\nb\nc\n', 'a\nB\nc\n')).toEqual([' a', '-b', '+B', ' c']);
    expect(ops('a\nb\nc\nd', 'a\nc\nd\ne')).toEqual([' a', '-b', ' c', ' d', '+e']);
    expect(ops('x\ny', 'x\ny')).toEqual([' x', ' y']);
  });

  it('diffs the classic ABCABBA / CBABAC example with 5 edits', () => {
    const a = 'ABCABBA'.split('');
    const b = 'CBABAC'.split('');
    const lines = diffLines(a, b)!;
    expect(lines.filter((l) => l.op !== 'equal')).toHaveLength(5);
    // Applying the script to a yields b.
    expect(lines.filter((l) => l.op !== 'del').map((l) => l.text)).toEqual(b);
    expect(lines.filter((l) => l.op !== 'add').map((l) => l.text)).toEqual(a);
  });

  it('numbers old and new lines', () => {
    const lines = diffLines(['a', 'b', 'c'], ['a', 'x', 'b', 'c'])!;
    expect(lines).toEqual([
      { op: 'equal', text: 'a', oldNo: 1, newNo: 1 },
      { op: 'add', text: 'x', newNo: 2 },
      { op: 'equal', text: 'b', oldNo: 2, newNo: 3 },
      { op: 'equal', text: 'c', oldNo: 3, newNo: 4 },
    ]);
  });

  it('treats oldText null as a new file', () => {
    const r = diffTexts(null, 'one\ntwo\n');
    expect(r.added).toBe(2);
    expect(r.removed).toBe(0);
    expect(r.hunks).toHaveLength(1);
    expect(r.hunks[0]).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 });
    expect(formatUnified('f.txt', null, r)).toBe('--- /dev/null\n+++ b/f.txt\n@@ -0,0 +1,2 @@\n+one\n+two');
  });

  it('groups distant changes into separate hunks with context', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const b = a.slice();
    b[1] = 'changed 2';
    b[25] = 'changed 26';
    const r = diffTexts(a.join('\n'), b.join('\n'), 3);
    expect(r.hunks).toHaveLength(2);
    expect(r.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 5, newStart: 1, newLines: 5 });
    expect(r.hunks[1]).toMatchObject({ oldStart: 23, oldLines: 7, newStart: 23, newLines: 7 });
    expect(r.added).toBe(2);
    expect(r.removed).toBe(2);
  });

  it('merges changes whose context overlaps into one hunk', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const b = a.slice();
    b[5] = 'x';
    b[10] = 'y';
    expect(diffTexts(a.join('\n'), b.join('\n'), 3).hunks).toHaveLength(1);
  });

  it('no hunks when nothing changed', () => {
    expect(toHunks(diffLines(['a'], ['a'])!)).toEqual([]);
    expect(diffTexts('a\n', 'a\n').hunks).toEqual([]);
  });

  it('falls back to replace-all beyond the edit budget', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`);
    expect(diffLines(a, b, 10)).toBeNull();
    const big = diffTexts(a.join('\n'), b.join('\n'));
    expect(big.removed + big.added).toBe(100);
  });

  it('handles a large file with a small edit quickly (prefix/suffix trimming)', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `row ${i}`);
    const b = a.slice();
    b.splice(10000, 1, 'edited');
    const t0 = performance.now();
    const r = diffTexts(a.join('\n'), b.join('\n'));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.hunks).toHaveLength(1);
    expect(r.hunks[0]!.lines.filter((l) => l.op !== 'equal').map((l) => l.text)).toEqual([
      'row 10000',
      'edited',
    ]);
  });
});
