import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  AgentEventBody,
  AgentExit,
  AgentHandle,
  AgentSink,
  PermissionDecision,
  PermissionRequest,
  QuestionAnswer,
  QuestionRequest,
} from '@aegis/core';
import { createAcpDriver } from '../index.js';

export const SCRIPTED_BIN = fileURLToPath(
  new URL('../../node_modules/@aegis/testkit/dist/scripted-agent/bin.js', import.meta.url),
);

type Decide = (req: PermissionRequest, signal: AbortSignal) => Promise<PermissionDecision>;

/** A sink that records everything; `decide` answers permission requests. */
export function recordingSink(decide: Decide = async () => ({ outcome: 'cancelled' })) {
  const events: AgentEventBody[] = [];
  const permissions: { request: PermissionRequest; signal: AbortSignal }[] = [];
  const questions: QuestionRequest[] = [];
  const exits: (AgentExit & { expected: boolean })[] = [];
  let onExit: (exit: AgentExit & { expected: boolean }) => void = () => {};
  const exited = new Promise<AgentExit & { expected: boolean }>((r) => (onExit = r));
  const sink: AgentSink = {
    update: (event) => events.push(event),
    requestPermission: (request, signal) => {
      permissions.push({ request, signal });
      return decide(request, signal);
    },
    askQuestion: async (request): Promise<QuestionAnswer> => {
      questions.push(request);
      return { outcome: 'cancelled' };
    },
    exited: (exit) => {
      exits.push(exit);
      onExit(exit);
    },
  };
  const text = (type: 'message.delta' | 'thought.delta' = 'message.delta') =>
    events.flatMap((e) => (e.type === type ? [e.data.text] : [])).join('');
  return { sink, events, permissions, questions, exits, exited, text };
}

export const allowOnce: Decide = async (req) => ({
  outcome: 'selected',
  optionId: req.options.find((o) => o.kind === 'allow_once')!.optionId,
});
export const rejectOnce: Decide = async (req) => ({
  outcome: 'selected',
  optionId: req.options.find((o) => o.kind === 'reject_once')!.optionId,
});

/** Waits until `predicate` holds, polling; fails after `ms`. */
export async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A temp workDir plus a driver for the scripted agent; `cleanup()` closes every handle it started. */
export function scriptedHarness(
  env: Record<string, string> = {},
  extra: Parameters<typeof createAcpDriver>[0] = {},
) {
  const workDir = mkdtempSync(join(tmpdir(), 'aegis-acp-'));
  const driver = createAcpDriver({
    agents: { scripted: { command: process.execPath, args: [SCRIPTED_BIN], env } },
    shutdownGraceMs: 500,
    ...extra,
  });
  const handles: AgentHandle[] = [];
  return {
    workDir,
    driver,
    async start(sink: AgentSink, agent = 'scripted') {
      const handle = await driver.start({ sessionId: 's1', workDir, agent }, sink);
      handles.push(handle);
      return handle;
    },
    async cleanup() {
      await Promise.all(handles.map((h) => h.close()));
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
