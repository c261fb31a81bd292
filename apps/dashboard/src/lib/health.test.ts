import type { SessionHealth } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import { healthSentence } from './health.js';

const base: SessionHealth = {
  sessionId: 's1',
  status: 'idle',
  alive: true,
  healthy: true,
  lastActivityAt: '2026-12-04T18:42:19.000Z',
  idleMs: 1000,
  stalledMs: null,
  pendingPermission: false,
  pendingQuestion: false,
  queuedPrompts: 0,
  problem: null,
  actions: ['send', 'kill'],
  hints: ['POST /v1/sessions/s1/messages to send a prompt'],
};

describe('healthSentence: plain words, never the REST hints', () => {
  it.each<[Partial<SessionHealth>, RegExp]>([
    [{}, /^Ready for the next prompt\.$/],
    [{ status: 'permission_prompt', pendingPermission: true }, /approve or reject the request above/],
    [{ status: 'asking', pendingQuestion: true }, /asked a question/],
    [{ status: 'stalled', stalledMs: 65_000 }, /No output from the agent for 1 min 5 s/],
    [{ status: 'working', queuedPrompts: 2 }, /^Working on a turn\. 2 more prompts queued\.$/],
    [
      { status: 'error', problem: { code: 'AGENT_TIMEOUT', message: 'The turn timed out.' } },
      /^The turn timed out\. Send a prompt/,
    ],
    [{ status: 'idle', alive: false }, /not running now; it starts again/],
    [{ status: 'killed', alive: false }, /has ended \(killed\)/],
  ])('%o', (over, want) => {
    const text = healthSentence({ ...base, ...over });
    expect(text).toMatch(want);
    expect(text).not.toMatch(/\/v1\/|POST|GET /);
  });
});
