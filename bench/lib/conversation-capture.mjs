// The agent's own conversation files are captured at every turn's end (so another process or node
// can reopen the conversation). A long Claude Code session's transcript is megabytes of JSONL: how
// long a capture takes, and the longest the event loop stalls meanwhile (every session on the
// server waits that long). In-process, on a synthetic transcript of words that compresses about as
// poorly as tool output does (~1.7:1).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLAUDE_CODE_CONVERSATION, captureConversationFiles } from '@aegis/acp-runtime';
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
  const data = Buffer.from(transcript(size.captureMiB * 1048576));
  writeFileSync(join(dir, 'agent-session.jsonl'), data);
  const env = { CLAUDE_CONFIG_DIR: home };
  const capture = () => captureConversationFiles(CLAUDE_CODE_CONVERSATION, env, 'agent-session');
  await capture(); // warm-up
  const runs = [];
  for (let i = 0; i < size.captureRuns; i++) runs.push(await timed(capture));
  // What the stall was when the compression ran on the event loop (gzipSync, before 2026-12-07).
  const sync = [];
  for (let i = 0; i < size.captureRuns; i++) sync.push(await timed(async () => gzipSync(data)));
  const stored = (await capture())?.files[0]?.data.length ?? 0;
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
  ];
}
