/**
 * The real Claude Code adapter's question path and rate limits, end to end: AskUserQuestion arrives
 * as a form elicitation (Aegis offers `elicitation.form`), the session waits in `asking`, and the
 * answer reaches the model as the tool result. A 429 from the provider puts the session in
 * `rate_limit`.
 */
import type { AegisClient, Session } from '@aegis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideClaudeEnv, type RealStack, startRealStack, tempRoot } from './helpers.js';

const restoreEnv = hideClaudeEnv();

const root = tempRoot('claude-question');
let stack: RealStack;
let client: AegisClient;

beforeAll(async () => {
  stack = await startRealStack({
    root,
    home: root.sub('home'),
    allowedWorkDirs: [root.dir],
    agentEnv: { PATH: process.env.PATH ?? '' },
    config: { logLevel: 'silent' },
  });
  client = stack.client;
});
afterAll(async () => {
  await stack?.close();
  root.remove();
  restoreEnv();
});

async function until(id: string, done: (s: Session) => boolean, timeoutMs = 60_000): Promise<Session> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.getSession(id);
    if (done(s)) return s;
    if (Date.now() > deadline) throw new Error(`session ${id} stuck in ${s.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('real Claude Code: questions and rate limits', () => {
  it('AskUserQuestion puts the session in asking; /answer reaches the model', async () => {
    const { session } = await client.createSession({
      workDir: root.sub('ask'),
      prompt: 'ask Which database? options Postgres|SQLite',
    });
    const asking = await until(session.id, (s) => s.status === 'asking');
    expect(asking.pendingQuestion).toMatchObject({
      message: 'Which database?',
      questions: [
        {
          id: 'question_0',
          header: 'Choice',
          options: [{ value: 'Postgres' }, { value: 'SQLite' }],
          allowCustom: true,
        },
      ],
    });
    await client.answerQuestion(session.id, { answer: 'SQLite' });
    await until(session.id, (s) => s.status === 'idle' && s.turns === 1 && s.pendingQuestion === null);
    const page = await client.getTranscriptPage(session.id, { role: 'assistant' });
    expect(page.messages.at(-1)?.text).toMatch(/Answer received: .*"Which database\?"="SQLite"/);
    const summary = await client.getSessionSummary(session.id);
    expect(summary.questions).toMatchObject({ asked: 1, answered: 1 });
  });

  it('a provider 429 ends the turn in rate_limit and the session stays usable', async () => {
    const { session } = await client.createSession({
      workDir: root.sub('429'),
      prompt: 'trigger rate limit',
    });
    const limited = await until(session.id, (s) => s.status === 'rate_limit');
    expect(limited.problem).toMatchObject({ code: 'RATE_LIMITED' });
    await client.sendMessage(session.id, { text: 'say back again' });
    await until(session.id, (s) => s.status === 'idle' && s.turns === 2);
  });
});
