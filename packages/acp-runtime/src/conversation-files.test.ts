import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script } from '@aegis/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingSink, SCRIPTED_BIN } from './__fixtures__/scripted.js';
import {
  CLAUDE_CODE_CONVERSATION,
  type ConversationMark,
  captureConversationFiles,
  restoreConversationFiles,
} from './conversation-files.js';
import { createAcpDriver } from './index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'aegis-conv-'));
  dirs.push(d);
  return d;
};

describe('conversation files', () => {
  it("captures Claude Code's session transcript and its subagents', never other files, and puts them back", async () => {
    const home = temp();
    const project = join(home, '.claude', 'projects', '-tmp-repo');
    mkdirSync(join(project, 'abc', 'subagents'), { recursive: true });
    writeFileSync(join(project, 'abc.jsonl'), '{"type":"user","text":"codeword PLUM"}\n');
    writeFileSync(join(project, 'abc', 'subagents', 'agent-1.jsonl'), '{"sub":1}\n');
    writeFileSync(join(project, 'other.jsonl'), 'not this session\n');
    writeFileSync(join(home, '.claude', '.credentials.json'), '{"secret":"never"}');
    writeFileSync(join(home, '.claude.json'), '{"settings":"never"}');
    symlinkSync('/etc/passwd', join(project, 'abc', 'subagents', 'agent-2.jsonl'));

    const snap = await captureConversationFiles(CLAUDE_CODE_CONVERSATION, { HOME: home }, 'abc');
    expect(snap?.files.map((f) => f.path)).toEqual([
      'projects/-tmp-repo/abc.jsonl',
      'projects/-tmp-repo/abc/subagents/agent-1.jsonl',
    ]);
    expect(JSON.stringify(snap)).not.toContain('never');

    // Another HOME (a wiped one, or another machine): the files come back byte for byte.
    const other = temp();
    const result = await restoreConversationFiles(CLAUDE_CODE_CONVERSATION, { HOME: other }, snap!);
    expect(result.written).toHaveLength(2);
    expect(readFileSync(join(other, '.claude', 'projects', '-tmp-repo', 'abc.jsonl'), 'utf8')).toContain(
      'codeword PLUM',
    );
    // A local file at least as long is newer (the files only grow): kept.
    const again = await restoreConversationFiles(CLAUDE_CODE_CONVERSATION, { HOME: other }, snap!);
    expect(again).toMatchObject({ written: [], kept: snap!.files.map((f) => f.path) });
    // CLAUDE_CONFIG_DIR wins over HOME.
    const config = temp();
    await restoreConversationFiles(
      CLAUDE_CODE_CONVERSATION,
      { HOME: other, CLAUDE_CONFIG_DIR: config },
      snap!,
    );
    expect(existsSync(join(config, 'projects', '-tmp-repo', 'abc.jsonl'))).toBe(true);
  });

  it('copies only what the files gained since the last capture, and puts the pieces back together', async () => {
    const home = temp();
    const project = join(home, '.claude', 'projects', '-tmp-repo');
    mkdirSync(join(project, 'abc', 'subagents'), { recursive: true });
    const main = join(project, 'abc.jsonl');
    const sub = join(project, 'abc', 'subagents', 'agent-1.jsonl');
    // Longer than the tail a capture checks, so the check reads a window, not the whole file.
    const turn = (n: number) => `${JSON.stringify({ turn: n, text: 'x'.repeat(3000 + n) })}\n`;
    writeFileSync(main, turn(1) + turn(2));
    writeFileSync(sub, '{"sub":1}\n');
    const env = { HOME: home };
    /** A capture after `prev`'s: what the files gained since. */
    const since = (prev: Awaited<ReturnType<typeof captureConversationFiles>>) =>
      captureConversationFiles(CLAUDE_CODE_CONVERSATION, env, 'abc', prev!.mark as ConversationMark);
    const whole = await captureConversationFiles(CLAUDE_CODE_CONVERSATION, env, 'abc');
    expect(whole!.appended).toBeUndefined();
    const stored = [...whole!.files];

    // A turn later: the transcript grew, the subagent's did not, a new subagent appeared.
    appendFileSync(main, turn(3));
    writeFileSync(join(project, 'abc', 'subagents', 'agent-2.jsonl'), '{"sub":2}\n');
    const next = await since(whole);
    expect(next).toMatchObject({ appended: true, bytes: statSync(main).size + 20 });
    expect(next!.files.map((f) => [f.path, f.from])).toEqual([
      ['projects/-tmp-repo/abc.jsonl', Buffer.byteLength(turn(1) + turn(2))],
      ['projects/-tmp-repo/abc/subagents/agent-2.jsonl', undefined],
    ]);
    // The piece is the turn's bytes, not the file: smaller than the first capture of it.
    expect(next!.files[0]!.data.length).toBeLessThan(whole!.files[0]!.data.length);
    stored.push(...next!.files);
    // Nothing changed: an appended snapshot with no pieces.
    const idle = await since(next);
    expect(idle).toMatchObject({ appended: true, files: [] });

    // Whole file and pieces, put back elsewhere: byte for byte.
    const other = temp();
    const put = await restoreConversationFiles(
      CLAUDE_CODE_CONVERSATION,
      { HOME: other },
      { ...next!, files: stored },
    );
    expect(put.written).toHaveLength(3);
    const back = join(other, '.claude', 'projects', '-tmp-repo');
    expect(readFileSync(join(back, 'abc.jsonl'), 'utf8')).toBe(readFileSync(main, 'utf8'));
    expect(readFileSync(join(back, 'abc', 'subagents', 'agent-2.jsonl'), 'utf8')).toBe('{"sub":2}\n');

    // Rewritten (same size or longer, other bytes), replaced by another file, or gone: the whole files again.
    writeFileSync(main, turn(9) + turn(8) + turn(7));
    const rewritten = await since(next);
    expect(rewritten!.appended).toBeUndefined();
    expect(rewritten!.files).toHaveLength(3);
    writeFileSync(`${main}.new`, `${readFileSync(main, 'utf8')}${turn(10)}`);
    renameSync(`${main}.new`, main);
    const renamed = await since(rewritten);
    expect(renamed!.appended).toBeUndefined();
    rmSync(sub);
    const gone = await since(renamed);
    expect(gone!.appended).toBeUndefined();
    expect(gone!.files.map((f) => f.path)).not.toContain('projects/-tmp-repo/abc/subagents/agent-1.jsonl');
  });

  it('refuses pieces that do not follow each other, rather than writing a file with a hole', async () => {
    const home = temp();
    writeFileSync(join(home, 'a.jsonl'), 'one\n');
    const spec = { dirEnv: 'DIR', files: ['{id}.jsonl'] };
    const first = await captureConversationFiles(spec, { DIR: home }, 'a');
    appendFileSync(join(home, 'a.jsonl'), 'two\n');
    const second = await captureConversationFiles(spec, { DIR: home }, 'a', first!.mark as ConversationMark);
    expect(second!.files[0]!.from).toBe(4);
    const other = temp();
    // The whole file's capture was lost: the piece alone cannot be placed.
    await expect(restoreConversationFiles(spec, { DIR: other }, second!)).rejects.toThrow(
      /starts at byte 4 but 0 bytes/,
    );
    await expect(
      restoreConversationFiles(
        spec,
        { DIR: other },
        { ...second!, files: [...second!.files, ...second!.files] },
      ),
    ).rejects.toThrow(/starts at byte 4/);
    expect(existsSync(join(other, 'a.jsonl'))).toBe(false);
    await restoreConversationFiles(
      spec,
      { DIR: other },
      { ...second!, files: [...first!.files, ...second!.files] },
    );
    expect(readFileSync(join(other, 'a.jsonl'), 'utf8')).toBe('one\ntwo\n');
  });

  it('refuses to restore a path that leaves the directory, and ignores unsafe session ids', async () => {
    const home = temp();
    const snap = {
      agentSessionId: 'x',
      bytes: 1,
      capturedAt: new Date().toISOString(),
      files: [{ path: '../../escape.txt', encoding: 'gzip+base64', data: '' }],
    };
    await expect(restoreConversationFiles(CLAUDE_CODE_CONVERSATION, { HOME: home }, snap)).rejects.toThrow(
      /refusing to restore/,
    );
    expect(await captureConversationFiles(CLAUDE_CODE_CONVERSATION, { HOME: home }, '../x')).toBeNull();
    expect(await captureConversationFiles(CLAUDE_CODE_CONVERSATION, {}, 'abc')).toBeNull();
  });

  it('the driver captures a real agent session, which resumes from the copy after its own files are gone', async () => {
    const sessionDir = temp();
    const workDir = temp();
    const driver = createAcpDriver({
      agents: {
        scripted: {
          command: process.execPath,
          args: [SCRIPTED_BIN],
          env: { SCRIPTED_AGENT_SESSION_DIR: sessionDir },
          conversation: { dirEnv: 'SCRIPTED_AGENT_SESSION_DIR', files: ['{id}.jsonl'] },
        },
      },
      shutdownGraceMs: 500,
    });
    const first = await driver.start({ sessionId: 's', workDir, agent: 'scripted' }, recordingSink().sink);
    await first.prompt('the codeword is PLUM');
    const id = first.info.agentSessionId!;
    const ref = { agent: 'scripted', agentSessionId: id, workDir };
    const snap = await driver.captureConversation!(ref);
    expect(snap?.bytes).toBeGreaterThan(0);
    await first.close();
    // session/close reached the agent before its process ended.
    expect(existsSync(join(sessionDir, `${id}.closed`))).toBe(true);

    rmSync(join(sessionDir, `${id}.jsonl`));
    await expect(driver.resume!({ ...ref, sessionId: 's' }, recordingSink().sink)).rejects.toMatchObject({
      code: expect.any(String),
    });
    await driver.restoreConversation!(ref, snap!);
    const rec = recordingSink();
    const again = await driver.resume!({ ...ref, sessionId: 's' }, rec.sink);
    await again.prompt(script({ recall: true }));
    expect(rec.text()).toContain('the codeword is PLUM');
    await again.close();
    await driver.close();
  });
});
