import { describe, expect, it } from 'vitest';
import { createAegis } from './engine.js';
import { createMemoryStore } from './memory-store.js';
import { createMemoryDriver } from './testing/memory-driver.js';

async function until(check: () => Promise<boolean>, ms = 2000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A session whose first turn waits until it is interrupted, so prompts sent meanwhile queue. */
async function workingSession() {
  const { driver } = createMemoryDriver(() => [{ waitForCancel: true }]);
  const aegis = createAegis({ agent: driver, store: createMemoryStore() });
  const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'first' });
  await until(async () => (await aegis.sessions.get(session.id)).status === 'working');
  return { aegis, id: session.id };
}

describe('live session snapshot', () => {
  it('is one frozen copy shared by readers until the session changes', async () => {
    const { aegis, id } = await workingSession();
    const a = await aegis.sessions.get(id);
    const b = await aegis.sessions.get(id);
    const listed = (await aegis.sessions.list()).sessions.find((s) => s.id === id);
    expect(b).toBe(a);
    expect(listed).toBe(a);
    expect(Object.isFrozen(a.usage)).toBe(true);
    expect(() => {
      (a as { title: string | null }).title = 'changed by a reader';
    }).toThrow(TypeError);
    await aegis.close();
  });

  it('shows a field changed outside the recorder (the prompt queue) at once', async () => {
    const { aegis, id } = await workingSession();
    const before = await aegis.sessions.get(id);
    expect(before.queuedPrompts).toBe(0);
    await aegis.sessions.prompt(id, 'second');
    const after = await aegis.sessions.get(id);
    expect(after.queuedPrompts).toBe(1);
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(before.queuedPrompts).toBe(0);
    await aegis.close();
  });

  it('shows every recorded event', async () => {
    const { aegis, id } = await workingSession();
    const before = await aegis.sessions.get(id);
    await aegis.sessions.interrupt(id);
    await until(async () => (await aegis.sessions.get(id)).status === 'idle');
    const after = await aegis.sessions.get(id);
    expect(after.lastSeq).toBeGreaterThan(before.lastSeq);
    expect(after.status).toBe('idle');
    expect(before.status).toBe('working');
    await aegis.close();
  });
});
