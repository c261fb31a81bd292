#!/usr/bin/env node
/**
 * node dist/main.js [--work-dir DIR] [--db FILE] [prompt…]
 *
 * Runs one prompt with Claude Code (or the agent in AEGIS_ACP_BIN) in DIR, printing its events as
 * they happen, approving file reads and edits and refusing everything else, then prints the
 * transcript kept in the SQLite file.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AegisEvent } from '@aegis/core';
import { runTask } from './embed.js';

const DEFAULT_PROMPT = 'Create a file named hello.txt containing the line: Hello from an embedded Aegis.';

/** Tool titles by call id: the agent may send the title in a later update than the start. */
const toolTitles = new Map<string, string>();

function describe(event: AegisEvent): string | undefined {
  const isTool =
    event.type === 'tool.started' || event.type === 'tool.updated' || event.type === 'tool.completed';
  if (isTool && event.data.title) toolTitles.set(event.data.toolCallId, event.data.title);
  const title = (id: string) => toolTitles.get(id) ?? id;
  switch (event.type) {
    case 'session.created':
      return `session ${event.sessionId} created in ${event.data.workDir}`;
    case 'session.state_changed':
      return `state ${event.data.from} → ${event.data.to}`;
    case 'message.completed':
      return `assistant: ${event.data.text}`;
    case 'tool.started':
      return `tool started: ${title(event.data.toolCallId)}`;
    case 'tool.completed':
      return `tool ${event.data.status}: ${title(event.data.toolCallId)}`;
    case 'permission.requested':
      return `permission asked: ${event.data.title} (${event.data.kind ?? 'unknown kind'})`;
    case 'permission.resolved':
      return `permission answered: ${event.data.optionKind ?? event.data.outcome}`;
    case 'turn.failed':
      return `turn failed: ${event.data.problem.message}`;
    default:
      return undefined;
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      'work-dir': { type: 'string', default: process.cwd() },
      db: { type: 'string', default: 'aegis-embed.db' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    console.log('Usage: node dist/main.js [--work-dir DIR] [--db FILE] [prompt…]');
    return 0;
  }
  const dbPath = resolve(values.db);
  const result = await runTask({
    workDir: values['work-dir'],
    dbPath,
    prompt: positionals.join(' ') || DEFAULT_PROMPT,
    onEvent: (event) => {
      const line = describe(event);
      if (line) console.log(`[${event.seq}] ${line}`);
    },
  });
  console.log('\ntranscript:');
  for (const entry of result.transcript) console.log(`  ${entry.role}: ${entry.text}`);
  console.log(`\nsession ${result.sessionId} is ${result.status}; everything is stored in ${dbPath}`);
  return result.outcome === 'turn.completed' ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error & { code?: string }) => {
    console.error(`error${err.code ? ` ${err.code}` : ''}: ${err.message}`);
    process.exit(1);
  },
);
