import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionList } from '@aegis/client';
import { type RunningServer, startServer } from '@aegis/server';
import { scriptedServerConfig } from '@aegis/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-first-key-')));
let server: RunningServer;
let env: Record<string, string>;

beforeAll(async () => {
  // Zero-config: loopback, no AEGIS_AUTH_TOKEN, no key yet.
  server = await startServer({
    ignoreEnv: true,
    config: scriptedServerConfig(base, { dashboardEnabled: false }),
  });
  env = { HOME: base, AEGIS_BASE_URL: server.url };
});
afterAll(() => server?.close());

describe('the first key from the CLI', () => {
  it('refuses a non-admin first key, saying why; `ag keys create` without --role makes it admin and says local access is off; ag list keeps working with it', async () => {
    const dir = join(base, 'work');
    mkdirSync(dir);
    expect((await ag(['create', '--cwd', dir], { env })).code).toBe(0);

    const operator = await ag(['keys', 'create', '--name', 'ci', '--role', 'operator'], { env });
    expect(operator.code).toBe(1);
    expect(operator.err).toContain('CONFLICT: The first API key must be admin');

    const created = await ag(['keys', 'create', '--name', 'me'], { env });
    expect(created.code).toBe(0);
    const secret = created.out.trim().split('\n').at(-1)!;
    expect(secret).toMatch(/^aegis_/);
    expect(created.out + created.err).toContain('(me, admin)');
    expect(created.err).toContain('zero-config local access is now off');

    // Without the key: 401, and the hint says why and how to recover.
    const locked = await ag(['list'], { env });
    expect(locked.code).toBe(1);
    expect(locked.err).toContain('UNAUTHORIZED');
    expect(locked.err).toContain('The server has keys, so access without one is off');
    expect(locked.err).toContain('AEGIS_AUTH_TOKEN=<16+ random characters> (a bootstrap admin token)');

    // With it: the session started before the key (owned by the local user) is still listed, keys too.
    const listed = await ag(['list', '--json'], { env: { ...env, AEGIS_AUTH_TOKEN: secret } });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as SessionList).sessions.map((s) => s.workDir)).toContain(dir);
    const keys = await ag(['keys', 'list', '--token', secret], { env });
    expect(keys.code).toBe(0);
    expect(keys.out).toMatch(/key_\w+ {2}admin +active +me/);
  });
});
