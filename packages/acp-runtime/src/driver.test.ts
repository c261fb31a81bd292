import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AegisError } from '@aegis/core';
import { script } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allowOnce,
  isAlive,
  recordingSink,
  rejectOnce,
  scriptedHarness,
  until,
} from './__fixtures__/scripted.js';

let harness = scriptedHarness();
afterEach(async () => {
  await harness.cleanup();
  harness = scriptedHarness();
});

const rejection = async (p: Promise<unknown>): Promise<AegisError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!err) throw new Error('expected a rejection');
  return err as AegisError;
};

describe('scripted agent through createAcpDriver', () => {
  it('starts with the agent info, modes, models and commands', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    await until(() => rec.events.some((e) => e.type === 'commands.updated'));
    const { info } = handle;
    expect(info.agentName).toBe('scripted');
    expect(info.agentVersion).toBe('0.1.0');
    expect(info.protocolVersion).toBe(1);
    expect(info.pid).toBeGreaterThan(0);
    expect(info.modes.map((m) => m.id)).toEqual(['default', 'acceptEdits', 'plan', 'bypassPermissions']);
    expect(info.currentMode).toBe('default');
    expect(info.models.map((m) => m.id)).toEqual(['scripted-small', 'scripted-large']);
    expect(info.currentModel).toBe('scripted-small');
    expect(info.commands.map((c) => c.name)).toContain('compact');
  });

  it('streams a plain reply as message deltas of one message', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    await expect(handle.prompt('hello there')).resolves.toEqual({ stopReason: 'end_turn' });
    const deltas = rec.events.filter((e) => e.type === 'message.delta');
    expect(deltas).toHaveLength(3);
    expect(rec.text()).toBe('You said: hello there');
    expect(new Set(deltas.map((d) => d.data.messageId)).size).toBe(1);
  });

  it('writes the file when a permissioned edit is approved', async () => {
    const rec = recordingSink(allowOnce);
    const handle = await harness.start(rec.sink);
    const tool = {
      title: 'Write a.txt',
      kind: 'edit' as const,
      diff: { path: 'a.txt', newText: 'hi' },
      permission: true,
      write: { path: 'a.txt', content: 'hi' },
    };
    await expect(handle.prompt(script({ tool }))).resolves.toEqual({ stopReason: 'end_turn' });
    expect(readFileSync(join(harness.workDir, 'a.txt'), 'utf8')).toBe('hi');
    expect(rec.permissions).toHaveLength(1);
    const req = rec.permissions[0]!.request;
    expect(req.title).toBe('Write a.txt');
    expect(req.content).toEqual([
      { type: 'diff', path: join(harness.workDir, 'a.txt'), oldText: null, newText: 'hi' },
    ]);
    expect(req.options.map((o) => o.kind)).toEqual(['allow_once', 'allow_always', 'reject_once']);
    const types = rec.events.filter((e) => e.type.startsWith('tool.')).map((e) => e.type);
    expect(types).toEqual(['tool.started', 'tool.updated', 'tool.completed']);
    const done = rec.events.find((e) => e.type === 'tool.completed');
    expect(done?.data.status).toBe('completed');
  });

  it('leaves no file and continues the turn when the edit is rejected', async () => {
    const rec = recordingSink(rejectOnce);
    const handle = await harness.start(rec.sink);
    const tool = {
      title: 'Write b.txt',
      kind: 'edit' as const,
      permission: true,
      write: { path: 'b.txt', content: 'x' },
    };
    await expect(handle.prompt(script({ tool }, { say: 'moving on' }))).resolves.toEqual({
      stopReason: 'end_turn',
    });
    expect(existsSync(join(harness.workDir, 'b.txt'))).toBe(false);
    expect(rec.events.find((e) => e.type === 'tool.completed')?.data.status).toBe('failed');
    expect(rec.text()).toBe('moving on');
  });

  it('skips the permission prompt for edits in acceptEdits mode', async () => {
    const rec = recordingSink(allowOnce);
    const handle = await harness.start(rec.sink);
    await handle.setMode('acceptEdits');
    expect(handle.info.currentMode).toBe('acceptEdits');
    expect(rec.events).toContainEqual({ type: 'mode.changed', data: { mode: 'acceptEdits' } });
    const tool = {
      title: 'Write c.txt',
      kind: 'edit' as const,
      permission: true,
      write: { path: 'c.txt', content: 'c' },
    };
    await handle.prompt(script({ tool }));
    expect(rec.permissions).toHaveLength(0);
    expect(readFileSync(join(harness.workDir, 'c.txt'), 'utf8')).toBe('c');
  });

  it('maps thoughts, plans, usage, titles and tool bursts from a script', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const plan = [{ content: 'step', priority: 'high' as const, status: 'pending' as const }];
    await handle.prompt(
      script(
        { think: 'hmm' },
        { plan },
        { usage: { used: 5, size: 50, cost: 0.1 } },
        { title: 'T' },
        { tools: 3 },
        { chunksBulk: 200 },
      ),
    );
    expect(rec.text('thought.delta')).toBe('hmm');
    expect(rec.events).toContainEqual({ type: 'plan.updated', data: { entries: plan } });
    expect(rec.events).toContainEqual({
      type: 'usage.updated',
      data: { contextUsed: 5, contextSize: 50, costUsd: 0.1 },
    });
    expect(rec.events).toContainEqual({ type: 'session.info_updated', data: { title: 'T' } });
    expect(rec.events.filter((e) => e.type === 'tool.completed')).toHaveLength(3);
    expect(rec.text()).toBe('x'.repeat(200));
  });

  it('resolves a waiting turn as cancelled on cancel()', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const turn = handle.prompt(script({ say: 'waiting' }, { waitForCancel: true }, { say: 'never' }));
    await until(() => rec.text() === 'waiting');
    await handle.cancel();
    await expect(turn).resolves.toEqual({ stopReason: 'cancelled' });
    expect(rec.text()).toBe('waiting');
  });

  it('answers an open permission request cancelled on cancel()', async () => {
    const rec = recordingSink(() => new Promise(() => {}));
    const handle = await harness.start(rec.sink);
    const tool = {
      title: 'Write d.txt',
      kind: 'edit' as const,
      permission: true,
      write: { path: 'd.txt', content: 'd' },
    };
    const turn = handle.prompt(script({ tool }));
    await until(() => rec.permissions.length === 1);
    await handle.cancel();
    await expect(turn).resolves.toEqual({ stopReason: 'cancelled' });
    expect(rec.permissions[0]!.signal.aborted).toBe(true);
    expect(existsSync(join(harness.workDir, 'd.txt'))).toBe(false);
  });

  it('rejects the turn AGENT_CRASHED and reports the exit when the agent dies mid-turn', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const err = await rejection(
      handle.prompt(script({ say: 'about to die' }, { crash: 7, stderr: 'fatal: boom' })),
    );
    expect(err.code).toBe('AGENT_CRASHED');
    expect(err.details).toMatchObject({ exitCode: 7 });
    expect(err.message).toContain('fatal: boom');
    const exit = await rec.exited;
    expect(exit).toMatchObject({ exitCode: 7, signal: null, expected: false });
    expect(exit.stderrTail).toContain('fatal: boom');
    await handle.close();
    expect(rec.exits).toHaveLength(1);
  });

  it.each(['initialize', 'session_new'])(
    'rejects start AGENT_CRASHED when the agent dies at %s',
    async (at) => {
      harness = scriptedHarness({ SCRIPTED_AGENT_FAIL_AT: at });
      const rec = recordingSink();
      const err = await rejection(harness.start(rec.sink));
      expect(err.code).toBe('AGENT_CRASHED');
      expect(err.details).toMatchObject({ exitCode: 3 });
      expect(String(err.details?.stderrTail)).toContain('failing at');
    },
  );

  it('treats a non-JSON stdout line as a protocol error and stops the agent', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const err = await rejection(
      handle.prompt(script({ garbage: 'Debugger attached, hello!' }, { say: 'late' })),
    );
    expect(err.code).toBe('AGENT_PROTOCOL_ERROR');
    expect(err.message).toContain('Debugger attached');
    expect(await rec.exited).toMatchObject({ expected: false });
  });

  it('maps "Authentication required" to AGENT_AUTH_REQUIRED and stays usable', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const err = await rejection(
      handle.prompt(script({ fail: { code: -32000, message: 'Authentication required' } })),
    );
    expect(err.code).toBe('AGENT_AUTH_REQUIRED');
    expect(err.message).toContain('ANTHROPIC_API_KEY');
    await expect(handle.prompt('again')).resolves.toEqual({ stopReason: 'end_turn' });
  });

  it('maps a rate-limit error to RATE_LIMITED with retryAfterMs', async () => {
    const handle = await harness.start(recordingSink().sink);
    const fail = { code: -32603, message: 'API Error: 429 rate_limit_error', data: { retryAfterMs: 5000 } };
    const err = await rejection(handle.prompt(script({ fail })));
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.details).toMatchObject({ retryAfterMs: 5000 });
  });

  it('rejects a mode the agent does not offer, naming the offered modes', async () => {
    const handle = await harness.start(recordingSink().sink);
    const err = await rejection(handle.setMode('yolo'));
    expect(err.code).toBe('UNSUPPORTED_MODE');
    expect(err.message).toContain('default, acceptEdits, plan, bypassPermissions');
  });

  it('switches to an offered model and rejects others', async () => {
    const handle = await harness.start(recordingSink().sink);
    await handle.setModel('scripted-large');
    expect(handle.info.currentModel).toBe('scripted-large');
    expect((await rejection(handle.setModel('gpt-9'))).code).toBe('UNSUPPORTED_MODEL');
  });

  it('gives the agent a filtered environment', async () => {
    harness = scriptedHarness(
      { FROM_SPEC: 'spec', AEGIS_TOKEN: 't', LD_PRELOAD: 'evil.so' },
      {
        env: {
          PATH: '/usr/bin',
          ANTHROPIC_BASE_URL: 'http://gw',
          AEGIS_SECRET: 's',
          NODE_OPTIONS: '--x',
          RANDOM: 'r',
        },
      },
    );
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const names = [
      'PATH',
      'ANTHROPIC_BASE_URL',
      'AEGIS_SECRET',
      'NODE_OPTIONS',
      'RANDOM',
      'FROM_SPEC',
      'AEGIS_TOKEN',
      'LD_PRELOAD',
    ];
    await handle.prompt(script({ echoEnv: names }));
    expect(JSON.parse(rec.text())).toEqual({
      PATH: '/usr/bin',
      ANTHROPIC_BASE_URL: 'http://gw',
      AEGIS_SECRET: null,
      NODE_OPTIONS: null,
      RANDOM: null,
      FROM_SPEC: 'spec',
      AEGIS_TOKEN: null,
      LD_PRELOAD: null,
    });
  });

  // Attack (issue 22 #1): Node builds the environment as name=value, so the name
  // "NODE_OPTIONS=--import" with a data: URL value became NODE_OPTIONS=--import=data:… in the agent,
  // which ran the injected JavaScript. The driver refuses it even when a caller skipped the server.
  it.each([
    ['NODE_OPTIONS=--import', (js: string) => `data:text/javascript,${encodeURIComponent(js)}`],
    ['node_options', (js: string) => `--import=data:text/javascript,${encodeURIComponent(js)}`],
  ])('refuses a session env named %j and starts no process that could run it', async (name, value) => {
    const marker = join(harness.workDir, 'injected');
    const js = `import{writeFileSync}from'node:fs';writeFileSync(${JSON.stringify(marker)},'ran')`;
    const err = await rejection(
      harness.driver.start(
        { sessionId: 's1', workDir: harness.workDir, agent: 'scripted', env: { [name]: value(js) } },
        recordingSink().sink,
      ),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toContain(name);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a NUL byte in a session env value without echoing the value', async () => {
    const err = await rejection(
      harness.driver.start(
        { sessionId: 's1', workDir: harness.workDir, agent: 'scripted', env: { FOO: 'canary-7f3a\0x' } },
        recordingSink().sink,
      ),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toContain('FOO');
    expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain('canary-7f3a');
  });

  it('close() ends the process and reports an expected exit once', async () => {
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const pid = handle.info.pid!;
    expect(isAlive(pid)).toBe(true);
    await handle.close();
    expect(isAlive(pid)).toBe(false);
    expect(rec.exits).toEqual([expect.objectContaining({ expected: true })]);
  });

  it('close() escalates to SIGKILL for an agent that ignores stdin close and SIGTERM', async () => {
    harness = scriptedHarness(
      { SCRIPTED_AGENT_IGNORE_STDIN_CLOSE: '1', SCRIPTED_AGENT_IGNORE_SIGTERM: '1' },
      { shutdownGraceMs: 150 },
    );
    const rec = recordingSink();
    const handle = await harness.start(rec.sink);
    const pid = handle.info.pid!;
    await handle.close();
    expect(isAlive(pid)).toBe(false);
    expect(rec.exits[0]).toMatchObject({ signal: 'SIGKILL', expected: true });
  });

  it('rejects an unknown agent name, naming the configured agents', async () => {
    const err = await rejection(harness.start(recordingSink().sink, 'nope'));
    expect(err.code).toBe('UNKNOWN_AGENT');
    expect(err.message).toContain('scripted, claude-code');
  });

  it('rejects AGENT_START_FAILED when the command does not exist', async () => {
    harness = scriptedHarness(
      {},
      { agents: { ghost: { command: '/nonexistent/agent-bin' } }, defaultAgent: 'ghost' },
    );
    const err = await rejection(harness.start(recordingSink().sink, 'ghost'));
    expect(err.code).toBe('AGENT_START_FAILED');
    expect(err.message).toContain('not found');
  });
});
