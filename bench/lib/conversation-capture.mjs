// The agent's own conversation files are captured at every turn's end (so another process or node
// can reopen the conversation). A long Claude Code session's transcript is megabytes of JSONL: how
// long a capture takes, and the longest the event loop stalls meanwhile (every session on the
// server waits that long). In-process, on a synthetic transcript of words that compresses about as
// poorly as tool output does (~1.7:1).
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLAUDE_CODE_CONVERSATION, captureConversationFiles } from '@aegis/acp-runtime';
import { createSqliteStore } from '@aegis/core/sqlite';
import { median } from './proc.mjs';

function transcript(bytes) {
  const words = Array.from({ length: 5000 }, (_, i) => (i * 2654435761).toString(36).slice(0, 3 + (i % 8)));
  let out = '';
  for (let i = 0; out.length < bytes; i++) {
    const text = Array.from({ length: 150 }, (_, k) => words[(i * 151 + k * 7919) % words.length]).join(' ');
    out += `${JSON.stringify({ type: 'assistant', uuid: `u${i}`, message: { content: [{ type: 'text', text }] } })}\n`;
  }
  return out;
}

/** Runs `fn` with a 1 ms ticker; returns its duration and the longest gap between ticks. */
async function timed(fn) {
  let last = performance.now();
  let stall = 0;
  const tick = setInterval(() => {
    const t = performance.now();
    stall = Math.max(stall, t - last);
    last = t;
  }, 1);
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  // One more tick, so a stall at the very end is seen.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  return { ms, stall };
}

export async function conversationCapture(size) {
  const home = mkdtempSync(join(tmpdir(), 'aegis-bench-capture-'));
  const dir = join(home, 'projects', '-work');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'agent-session.jsonl');
  const data = Buffer.from(transcript(size.captureMiB * 1048576));
  writeFileSync(file, data);
  const env = { CLAUDE_CONFIG_DIR: home };
  const capture = (since) => captureConversationFiles(CLAUDE_CODE_CONVERSATION, env, 'agent-session', since);
  await capture(); // warm-up
  const runs = [];
  for (let i = 0; i < size.captureRuns; i++) runs.push(await timed(capture));
  // What the stall was when the compression ran on the event loop (gzipSync, before 2026-12-07).
  const sync = [];
  for (let i = 0; i < size.captureRuns; i++) sync.push(await timed(async () => gzipSync(data)));
  const stored = (await capture())?.files[0]?.data.length ?? 0;

  // A turn's end, captured and written to a real SQLite store: the whole files again (before
  // 2026-12-07 evening) against only what the turn appended to them.
  const store = createSqliteStore({ path: join(home, 'aegis.db') });
  const turnBytes = 32 * 1024;
  const wholeTurn = [];
  const appendedTurn = [];
  try {
    let snapshot = await capture();
    await store.conversations.put('s', snapshot);
    for (let i = 0; i < size.captureRuns; i++) {
      appendFileSync(file, transcript(turnBytes));
      wholeTurn.push(
        await timed(async () => {
          await store.conversations.put('s', await capture());
        }),
      );
    }
    snapshot = await capture();
    await store.conversations.put('s', snapshot);
    for (let i = 0; i < size.captureRuns; i++) {
      appendFileSync(file, transcript(turnBytes));
      appendedTurn.push(
        await timed(async () => {
          snapshot = await capture(snapshot.mark);
          if (!snapshot.appended) throw new Error('conversation capture: expected an appended capture');
          await store.conversations.append('s', snapshot);
        }),
      );
    }
  } finally {
    await store.close();
  }
  const turnRow = (metric, pick) => ({
    scenario: 'conversation capture',
    metric,
    value: median(appendedTurn.map(pick)),
    unit: 'ms',
    baseline: median(wholeTurn.map(pick)),
    ratio: median(appendedTurn.map(pick)) / median(wholeTurn.map(pick)),
  });
  return [
    {
      scenario: 'conversation capture',
      metric: `longest event-loop stall while capturing a ${size.captureMiB} MiB transcript`,
      value: median(runs.map((r) => r.stall)),
      unit: 'ms',
      baseline: median(sync.map((r) => r.stall)),
      ratio: median(runs.map((r) => r.stall)) / median(sync.map((r) => r.stall)),
      captureMs: median(runs.map((r) => r.ms)),
      storedMiB: stored / 1048576,
    },
    turnRow(
      `a turn's end (32 KiB appended to ${size.captureMiB} MiB), captured and stored in SQLite: time`,
      (r) => r.ms,
    ),
    turnRow(`the same: longest event-loop stall (baseline: the whole files again)`, (r) => r.stall),
  ];
}
