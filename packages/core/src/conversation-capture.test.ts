import { describe, expect, it } from 'vitest';
import { MAX_CONVERSATION_APPENDS } from './conversation-store.js';
import type { AgentDriver, ConversationSnapshot } from './driver.js';
import { createAegis } from './engine.js';
import { createMemoryStore } from './memory-store.js';
import type { AegisStore } from './store.js';
import { createMemoryDriver } from './testing/memory-driver.js';

async function until(check: () => boolean | Promise<boolean>, ms = 2000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The memory driver, plus one append-only conversation file per agent session (a line per prompt,
 * as Claude Code appends to its transcript JSONL). With `since` (the size last captured) it copies
 * only the bytes after it, as the ACP driver does.
 */
function appendingDriver() {
  const saved = new Map<string, string[]>();
  const mem = createMemoryDriver(
    (text) => [{ update: { type: 'message.delta', data: { messageId: 'm', text } } }],
    undefined,
    saved,
  );
  const content = (id: string) => (saved.get(id) ?? []).map((p) => `${p}\n`).join('');
  const asked: (number | undefined)[] = [];
  const driver: AgentDriver = {
    ...mem.driver,
    async captureConversation(ref, since) {
      const text = content(ref.agentSessionId);
      const from = since as number | undefined;
      asked.push(from);
      const base = {
        agentSessionId: ref.agentSessionId,
        bytes: text.length,
        capturedAt: new Date().toISOString(),
        mark: text.length,
      };
      if (from === undefined) return { ...base, files: [{ path: 't', encoding: 'raw', data: text }] };
      const added = text.slice(from);
      return {
        ...base,
        appended: true,
        files: added ? [{ path: 't', encoding: 'raw', data: added, from }] : [],
      };
    },
  };
  return { driver, content, asked };
}

/** The file a snapshot's pieces make, checking each piece follows the one before. */
function joined(snapshot: ConversationSnapshot | undefined): string {
  let text = '';
  for (const f of snapshot?.files ?? []) {
    expect(f.from ?? 0).toBe(f.from ? text.length : 0);
    text = f.from ? text + f.data : f.data;
  }
  return text;
}

describe("capturing the agent's conversation files at each turn's end", () => {
  it("stores each turn's appended bytes after the first whole copy, and the pieces make the file", async () => {
    const store = createMemoryStore();
    const { driver, content, asked } = appendingDriver();
    const aegis = createAegis({ agent: driver, store });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'one' });
    const agentId = async () => (await aegis.sessions.get(session.id)).agentSession!.id;
    const turn = async (text: string, n: number) => {
      await until(async () => (await aegis.sessions.get(session.id)).turns === n - 1);
      await until(async () => (await aegis.sessions.get(session.id)).status === 'idle');
      if (text) await aegis.sessions.prompt(session.id, text);
    };
    await turn('two', 2);
    await turn('three', 3);
    await until(async () => joined(await store.conversations.get(session.id)) === 'one\ntwo\nthree\n');
    const stored = await store.conversations.get(session.id);
    expect(stored?.files.map((f) => [f.data, f.from])).toEqual([
      ['one\n', undefined],
      ['two\n', 4],
      ['three\n', 8],
    ]);
    expect(stored?.bytes).toBe(content(await agentId()).length);
    expect(asked.slice(0, 3)).toEqual([undefined, 4, 8]);
    await aegis.close();
  });

  it(`copies the whole files again after ${MAX_CONVERSATION_APPENDS} appended pieces`, async () => {
    const store = createMemoryStore();
    const { driver, asked } = appendingDriver();
    const aegis = createAegis({ agent: driver, store });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'p0' });
    for (let n = 1; n <= MAX_CONVERSATION_APPENDS + 1; n++) {
      await until(async () => {
        const s = await aegis.sessions.get(session.id);
        return s.turns === n && s.status === 'idle';
      });
      await until(() => asked.length === n);
      await aegis.sessions.prompt(session.id, `p${n}`);
    }
    await until(() => asked.length === MAX_CONVERSATION_APPENDS + 2);
    // One whole copy, 100 pieces, then a whole copy again (which replaced them all).
    expect(asked.filter((a) => a === undefined)).toHaveLength(2);
    expect(asked.at(-1)).toBeUndefined();
    const stored = await store.conversations.get(session.id);
    expect(stored?.files).toHaveLength(1);
    expect(joined(stored)).toBe(
      Array.from({ length: MAX_CONVERSATION_APPENDS + 2 }, (_, i) => `p${i}\n`).join(''),
    );
    await aegis.close();
  });

  it('copies the whole files again after a store write failed, so nothing is appended to a gap', async () => {
    const base = createMemoryStore();
    let failNext = false;
    const store: AegisStore = Object.assign(Object.create(base) as AegisStore, {
      conversations: {
        get: (id: string) => base.conversations.get(id),
        put: (id: string, s: ConversationSnapshot) => base.conversations.put(id, s),
        append: async (id: string, s: ConversationSnapshot) => {
          if (failNext) {
            failNext = false;
            throw new Error('disk full');
          }
          return base.conversations.append!(id, s);
        },
      },
    });
    const { driver, asked } = appendingDriver();
    const errors: string[] = [];
    const aegis = createAegis({
      agent: driver,
      store,
      onError: (err) => errors.push((err as Error).message),
    });
    const { session } = await aegis.sessions.create({ workDir: '/w', prompt: 'one' });
    const idleAfter = (n: number) =>
      until(async () => {
        const s = await aegis.sessions.get(session.id);
        return s.turns === n && s.status === 'idle';
      });
    await idleAfter(1);
    await until(() => asked.length === 1);
    failNext = true;
    await aegis.sessions.prompt(session.id, 'two');
    await idleAfter(2);
    await until(() => asked.length === 2);
    await aegis.sessions.prompt(session.id, 'three');
    await idleAfter(3);
    await until(async () => joined(await base.conversations.get(session.id)) === 'one\ntwo\nthree\n');
    // The failed append is not built on: the capture after it copied the whole file.
    expect(asked.slice(0, 3)).toEqual([undefined, 4, undefined]);
    expect((await base.conversations.get(session.id))?.files).toHaveLength(1);
    expect(errors.some((m) => m.includes('disk full'))).toBe(true);
    await aegis.close();
  });
});
