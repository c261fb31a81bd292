import { describe, expect, it } from 'vitest';
import { createAegis } from '../engine.js';
import { createMemoryStore } from '../memory-store.js';
import { createMemoryDriver } from '../testing/memory-driver.js';

async function until(check: () => boolean | Promise<boolean>, ms = 2000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('pipelines.stopOwnedBy', () => {
  it("fails the owner's running pipelines at once and starts none of their pending stages", async () => {
    // Stage a waits until it is cancelled; stage b would run after it.
    const { driver } = createMemoryDriver((text) => (text === 'wait' ? [{ waitForCancel: true }] : []));
    const aegis = createAegis({ agent: driver, store: createMemoryStore() });
    const owner = { id: 'key_owner' };
    const other = { id: 'key_other' };
    const stages = [
      { name: 'a', spec: { workDir: '/w/a', prompt: 'wait' } },
      { name: 'b', dependsOn: ['a'], spec: { workDir: '/w/b', prompt: 'go' } },
    ];
    const mine = await aegis.pipelines.create({ name: 'mine', stages }, owner);
    const theirs = await aegis.pipelines.create({ name: 'theirs', stages }, other);
    const admin = { id: null, admin: true };
    const stageA = async (id: string) => (await aegis.pipelines.get(id, admin)).stages[0]!;
    await until(async () => (await stageA(mine.id)).sessionId !== null);

    expect(aegis.pipelines.stopOwnedBy('key_owner', 'API key key_owner was revoked.')).toEqual([mine.id]);
    const stopped = await aegis.pipelines.get(mine.id, owner);
    expect(stopped.status).toBe('failed');
    expect(stopped.error).toBe('API key key_owner was revoked.');
    expect(stopped.stages[1]).toMatchObject({
      status: 'skipped',
      error: 'Skipped: API key key_owner was revoked.',
    });

    // Stage a ends (cancelled): b still never starts; the other owner's pipeline is untouched.
    await aegis.sessions.interrupt((await stageA(mine.id)).sessionId!, owner);
    await until(async () => (await stageA(mine.id)).status !== 'running');
    const after = await aegis.pipelines.get(mine.id, owner);
    expect(after.stages[1]).toMatchObject({ status: 'skipped', sessionId: null });
    expect((await aegis.pipelines.get(theirs.id, other)).status).toBe('running');
    await aegis.close();
  });
});
