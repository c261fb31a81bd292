import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AegisError, AgentHandle } from '@aegis/core';
import { script } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, recordingSink, scriptedHarness, until } from './__fixtures__/scripted.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A harness whose scripted agent keeps its sessions on disk and can reopen them (`restore`). */
function restorable(restore?: 'load' | 'resume' | 'both') {
  const sessionDir = mkdtempSync(join(tmpdir(), 'aegis-agent-sessions-'));
  const h = scriptedHarness({
    SCRIPTED_AGENT_SESSION_DIR: sessionDir,
    ...(restore ? { SCRIPTED_AGENT_RESTORE: restore } : {}),
  });
  const reopened: AgentHandle[] = [];
  cleanups.push(async () => {
    await Promise.all(reopened.map((r) => r.close()));
    await h.cleanup();
    rmSync(sessionDir, { recursive: true, force: true });
  });
  return {
    ...h,
    async resume(
      sink: ReturnType<typeof recordingSink>['sink'],
      agentSessionId: string,
      workDir = h.workDir,
    ) {
      const handle = await h.driver.resume!(
        { sessionId: 's1', workDir, agent: 'scripted', agentSessionId },
        sink,
      );
      reopened.push(handle);
      return handle;
    },
  };
}

/** Live processes (not zombies) whose cwd is `dir`. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return readlinkSync(`/proc/${entry}/cwd`) === dir && isAlive(Number(entry)) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

const rejection = async (p: Promise<unknown>): Promise<AegisError> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as AegisError,
  );

describe('reopening an agent session in a new process', () => {
  it('session/load: the replayed history is dropped, the agent remembers it, the session takes prompts', async () => {
    const h = restorable('load');
    const first = await h.start(recordingSink().sink);
    expect(first.info.restore).toEqual({ load: true, resume: false, close: true });
    const agentSessionId = first.info.agentSessionId!;
    expect(agentSessionId).toMatch(/^[\w-]+$/);
    await first.prompt('first question');
    await first.prompt('second question');
    await first.close();

    const rec = recordingSink();
    const handle = await h.resume(rec.sink, agentSessionId);
    expect(handle.info).toMatchObject({ agentSessionId, resumedVia: 'session/load', currentMode: 'default' });
    expect(handle.info.pid).not.toBe(first.info.pid);
    await until(() => rec.events.some((e) => e.type === 'commands.updated'));
    // The agent replayed four messages; none of them reached the sink.
    expect(rec.events.filter((e) => e.type === 'message.delta')).toEqual([]);
    await expect(handle.prompt(script({ recall: true }))).resolves.toEqual({ stopReason: 'end_turn' });
    expect(JSON.parse(rec.text())).toEqual({ prompts: 2, first: 'first question', last: 'second question' });
  });

  it('prefers session/resume (no replay) when the agent offers both', async () => {
    const h = restorable();
    const first = await h.start(recordingSink().sink);
    expect(first.info.restore).toEqual({ load: true, resume: true, close: true });
    await first.prompt('only question');
    await first.close();
    const rec = recordingSink();
    const handle = await h.resume(rec.sink, first.info.agentSessionId!);
    expect(handle.info.resumedVia).toBe('session/resume');
    await handle.prompt(script({ recall: true }));
    expect(JSON.parse(rec.text())).toMatchObject({ prompts: 1, first: 'only question' });
  });

  it('fails clearly, and leaves no process, when the agent does not know the session or its folder differs', async () => {
    const h = restorable('load');
    const first = await h.start(recordingSink().sink);
    await first.close();
    const unknown = await rejection(h.resume(recordingSink().sink, 'no-such-session'));
    expect(unknown.message).toMatch(/session\/load/);
    expect(unknown.message).toMatch(/no-such-session|not found/i);
    const elsewhere = mkdtempSync(join(tmpdir(), 'aegis-acp-other-'));
    cleanups.push(() => rmSync(elsewhere, { recursive: true, force: true }));
    const moved = await rejection(h.resume(recordingSink().sink, first.info.agentSessionId!, elsewhere));
    expect(moved.message).toContain('belongs to');
    // The process started for it was stopped before the rejection.
    expect(processesIn(elsewhere)).toEqual([]);
  });

  it('an agent that advertises neither: restore is false and resume fails AGENT_START_FAILED', async () => {
    const h = scriptedHarness();
    cleanups.push(() => h.cleanup());
    const first = await h.start(recordingSink().sink);
    expect(first.info.restore).toEqual({ load: false, resume: false, close: true });
    const rec = recordingSink();
    const err = await rejection(
      h.driver.resume!(
        {
          sessionId: 's1',
          workDir: h.workDir,
          agent: 'scripted',
          agentSessionId: first.info.agentSessionId!,
        },
        rec.sink,
      ),
    );
    expect(err.code).toBe('AGENT_START_FAILED');
    expect(err.message).toContain('neither session/load nor session/resume');
    expect(rec.exits).toEqual([]);
    expect(isAlive(first.info.pid!)).toBe(true);
  });
});
