import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
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
          conversation: { dirEnv: 'SCRIPTED_AGENT_SESSION_DIR', files: ['{id}.json'] },
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

    rmSync(join(sessionDir, `${id}.json`));
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
