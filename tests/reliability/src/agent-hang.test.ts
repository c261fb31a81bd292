import { script } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  processesIn,
  RawSse,
  type ServerProcess,
  startServerProcess,
  tempDir,
  waitForStatus,
} from './harness.js';

const PROMPT_TIMEOUT_MS = 1_500;

describe('agent hangs: the prompt timeout (AEGIS_ACP_PROMPT_TIMEOUT_MS)', () => {
  const root = tempDir('hang');
  let server: ServerProcess;
  let n = 0;
  const workDir = () => root.sub(`w${++n}`);
  beforeAll(async () => {
    server = await startServerProcess({
      stateDir: root.sub('state'),
      allowedWorkDirs: [root.dir],
      env: { AEGIS_ACP_PROMPT_TIMEOUT_MS: String(PROMPT_TIMEOUT_MS) },
    });
  });
  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  const turnFailure = async (id: string, lastSeq: number) => {
    const sse = new RawSse(`${server.url}/v1/sessions/${id}/events`, { lastEventId: '0' });
    await sse.until((f) => (f.at(-1)?.id ?? 0) >= lastSeq);
    await sse.stop();
    return sse.frames.find((f) => f.event.type === 'turn.failed')?.event.data as
      | { problem: { code: string; message: string } }
      | undefined;
  };

  it('a silent turn fails AGENT_TIMEOUT, says why, and the session takes the next prompt', async () => {
    const dir = workDir();
    const { session } = await server.client.createSession({
      workDir: dir,
      prompt: script({ say: 'let me think' }, { waitForCancel: true }),
    });
    const started = Date.now();
    const failed = await waitForStatus(server.client, session.id, ['error'], PROMPT_TIMEOUT_MS + 10_000);
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(PROMPT_TIMEOUT_MS - 100);
    expect(failed.problem?.code).toBe('AGENT_TIMEOUT');
    const problem = (await turnFailure(session.id, failed.lastSeq))?.problem;
    expect(problem?.code).toBe('AGENT_TIMEOUT');
    expect(problem?.message).toMatch(/no update/);
    console.log(`[figures] prompt timeout ${PROMPT_TIMEOUT_MS} ms: turn failed after ${tookMs} ms`);

    await server.client.sendMessage(session.id, { text: 'are you back?' });
    const idle = await waitForStatus(server.client, session.id, ['idle'], 10_000);
    expect(idle.turns).toBe(2);
    const { entries } = await server.client.readSession(session.id);
    expect(entries.at(-1)?.text).toContain('You said: are you back?');
  });

  it('an agent that ignores the cancel too: the turn still fails, a parallel session is unaffected, kill cleans up', async () => {
    const hungDir = workDir();
    const okDir = workDir();
    const hung = await server.client.createSession({
      workDir: hungDir,
      prompt: script({ say: 'stuck' }, { hang: true }),
    });
    const ok = await server.client.createSession({
      workDir: okDir,
      prompt: script({ say: 'a' }, { sleep: 500 }, { say: 'b' }, { sleep: 500 }, { say: 'c' }),
    });
    const failed = await waitForStatus(server.client, hung.session.id, ['error'], PROMPT_TIMEOUT_MS + 10_000);
    expect(failed.problem?.code).toBe('AGENT_TIMEOUT');
    const done = await waitForStatus(server.client, ok.session.id, ['idle'], 10_000);
    expect(done.problem).toBeNull();
    await server.client.killSession(hung.session.id);
    await server.client.killSession(ok.session.id);
    expect(await eventually(() => processesIn(hungDir).length + processesIn(okDir).length === 0, 8_000)).toBe(
      true,
    );
  });
});
