// `ag usage` as a real child process against a real server whose scripted agent reports tokens.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, startServer } from '@aegis/server';
import { script, scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

describe('ag usage', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-usage-')));
  let server: RunningServer;
  let env: Record<string, string>;
  beforeAll(async () => {
    server = await startServer({
      ignoreEnv: true,
      config: {
        ...scriptedServerConfig(base),
        usage: { prices: { '*': { inputPerMTok: 1, outputPerMTok: 2 } } },
      },
    });
    env = { HOME: base, AEGIS_BASE_URL: server.url };
    const dir = join(base, 'w');
    mkdirSync(dir);
    const res = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        workDir: dir,
        prompt: script({ tokens: { input: 1_000_000, output: 500_000 } }),
      }),
    });
    const { id } = (await res.json()) as { id: string };
    for (let i = 0; i < 200; i++) {
      const s = (await (await fetch(`${server.url}/v1/sessions/${id}`)).json()) as {
        turns: number;
        status: string;
      };
      if (s.turns === 1 && s.status === 'idle') break;
      await new Promise((r) => setTimeout(r, 25));
    }
  });
  afterAll(() => server?.close());

  it('prints a table by model with the priced cost and a total', async () => {
    const r = await ag(['usage', '--group-by', 'model'], { env });
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('model\tturns\ttokens\tcost');
    expect(lines[1]).toBe('scripted-small\t1\t1500000\t$2.0000');
    expect(lines.at(-1)).toBe('total\t1\t1500000\t$2.0000');
  });

  it('--json prints the API answer and --csv the CSV export', async () => {
    const j = await ag(['usage', '--json'], { env });
    expect(JSON.parse(j.out).totals).toMatchObject({ turns: 1, inputTokens: 1_000_000, costUsd: 2 });
    const c = await ag(['usage', '--csv', '--group-by', 'session'], { env });
    expect(c.out.split('\n')[0]).toBe(
      'session,turns,inputTokens,outputTokens,cachedReadTokens,cachedWriteTokens,totalTokens,costUsd,durationMs,toolCalls',
    );
  });

  it('an unknown --group-by exits non-zero saying what is allowed', async () => {
    const r = await ag(['usage', '--group-by', 'colour'], { env });
    expect(r.code).not.toBe(0);
    expect(r.out + r.err).toContain('unknown groupBy "colour"');
  });
});
