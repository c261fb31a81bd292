/**
 * A line diff (Myers' O(ND) algorithm) and hunks with context, for rendering `{ oldText, newText }`
 * tool content as a unified diff. Pure: no DOM, no React.
 */

export type DiffOp = 'equal' | 'add' | 'del';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line number in the old text (absent for added lines). */
  oldNo?: number;
  /** 1-based line number in the new text (absent for deleted lines). */
  newNo?: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: DiffLine[];
}

export interface DiffResult {
  hunks: DiffHunk[];
  added: number;
  removed: number;
  /** The texts were too different/large to diff line by line; everything is shown as replaced. */
  truncated: boolean;
}

/** Splits text into lines; a trailing newline does not make an extra empty line. */
export function splitLines(text: string | null | undefined): string[] {
  if (!text) return [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The edit script between two line arrays, as a list of equal/add/del lines with line numbers. */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 4000): DiffLine[] | null {
  // Trim the common prefix and suffix: cheap and makes most edits tiny.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: 'equal', text: a[i]!, oldNo: i + 1, newNo: i + 1 });
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (!middle) return null;
  let oldNo = start;
  let newNo = start;
  for (const [op, text] of middle) {
    if (op === 'equal') out.push({ op, text, oldNo: ++oldNo, newNo: ++newNo });
    else if (op === 'del') out.push({ op, text, oldNo: ++oldNo });
    else out.push({ op, text, newNo: ++newNo });
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) {
    out.push({ op: 'equal', text: a[i]!, oldNo: i + 1, newNo: j + 1 });
  }
  return out;
}

function myers(a: readonly string[], b: readonly string[], maxEdits: number): [DiffOp, string][] | null {
  const n = a.length;
  const m = b.length;
  if (n === 0) return b.map((t) => ['add', t]);
  if (m === 0) return a.map((t) => ['del', t]);
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)) x = v[offset + k + 1]!;
      else x = v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break outer;
      }
    }
  }
  if (!found) return null;
  // Backtrack through the saved V arrays.
  const ops: [DiffOp, string][] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push(['equal', a[x - 1]!]);
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push(['add', b[y - 1]!]);
    else ops.push(['del', a[x - 1]!]);
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** Groups a line diff into hunks with `context` unchanged lines around each change. */
export function toHunks(lines: readonly DiffLine[], context = 3): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  const changed = lines.map((l, i) => (l.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return hunks;
  let from = Math.max(0, changed[0]! - context);
  let to = Math.min(lines.length - 1, changed[0]! + context);
  const flush = () => {
    const slice = lines.slice(from, to + 1);
    const firstOld = slice.find((l) => l.oldNo !== undefined)?.oldNo;
    const firstNew = slice.find((l) => l.newNo !== undefined)?.newNo;
    const oldLines = slice.filter((l) => l.op !== 'add').length;
    const newLines = slice.filter((l) => l.op !== 'del').length;
    hunks.push({
      oldStart: firstOld ?? oldBefore(lines, from),
      oldLines,
      newStart: firstNew ?? newBefore(lines, from),
      newLines,
      lines: slice,
    });
  };
  for (const i of changed.slice(1)) {
    if (i - context <= to + 1) to = Math.min(lines.length - 1, i + context);
    else {
      flush();
      from = Math.max(0, i - context);
      to = Math.min(lines.length - 1, i + context);
    }
  }
  flush();
  return hunks;
}

function oldBefore(lines: readonly DiffLine[], idx: number): number {
  for (let i = idx - 1; i >= 0; i--) if (lines[i]!.oldNo !== undefined) return lines[i]!.oldNo!;
  return 0;
}
function newBefore(lines: readonly DiffLine[], idx: number): number {
  for (let i = idx - 1; i >= 0; i--) if (lines[i]!.newNo !== undefined) return lines[i]!.newNo!;
  return 0;
}

/** Diffs two texts into hunks. `oldText: null` means a new file (every line added). */
export function diffTexts(oldText: string | null | undefined, newText: string, context = 3): DiffResult {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let lines = diffLines(a, b);
  let truncated = false;
  if (!lines) {
    truncated = true;
    lines = [
      ...a.map((text, i): DiffLine => ({ op: 'del', text, oldNo: i + 1 })),
      ...b.map((text, i): DiffLine => ({ op: 'add', text, newNo: i + 1 })),
    ];
  }
  return {
    hunks: toHunks(lines, context),
    added: lines.filter((l) => l.op === 'add').length,
    removed: lines.filter((l) => l.op === 'del').length,
    truncated,
  };
}

/** The hunks as unified-diff text (for copying). */
export function formatUnified(path: string, oldText: string | null, result: DiffResult): string {
  const out = [`--- ${oldText === null ? '/dev/null' : `a/${path}`}`, `+++ b/${path}`];
  for (const h of result.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    for (const l of h.lines) out.push((l.op === 'add' ? '+' : l.op === 'del' ? '-' : ' ') + l.text);
  }
  return out.join('\n');
}
