/**
 * The real Claude Code adapter's question path and rate limits, end to end: AskUserQuestion arrives
 * as a form elicitation (Aegis offers `elicitation.form`), the session waits in `asking`, and the
 * answer reaches the model as the tool result. A 429 from the provider puts the session in
 * `rate_limit`.
 */
import { AegisClient, type Session } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { claudeAgentEnv, type FakeMessagesApi, startFakeMessagesApi } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideClaudeEnv, tempRoot } from './helpers.js';

const restoreEnv = hideClaudeEnv();

const root = tempRoot('claude-question');
let api: FakeMessagesApi;
let server: RunningServer;
let client: AegisClient;

beforeAll(async () => {
  api = await startFakeMessagesApi();
  const env = claudeAgentEnv({ baseUrl: api.url, home: root.sub('home') });
  server = await startServer({
    ignoreEnv: true,
    config: {
      port: 0,
      stateDir: root.sub('state'),
      allowedWorkDirs: [root.dir],
      logLevel: 'silent',
      agentEnv: { ...env, PATH: process.env.PATH ?? '' },
    },
  });
  client = new AegisClient({ baseUrl: server.url });
});
afterAll(async () => {
  await server?.close();
  await api?.close();
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
