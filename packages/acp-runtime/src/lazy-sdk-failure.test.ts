import { tmpdir } from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import { isAlive, SCRIPTED_BIN } from './__fixtures__/scripted.js';
import { connectAgent } from './acp-session.js';
import { AgentProcess } from './agent-process.js';

// An install whose ACP SDK cannot be imported (a broken or partial node_modules).
vi.mock('./acp-sdk.js', () => ({
  loadAcpSdk: () => Promise.reject(new Error("Cannot find package '@agentclientprotocol/sdk'")),
}));

describe('the ACP SDK cannot be loaded', () => {
  it('connecting an agent fails AGENT_START_FAILED saying to reinstall, and stops the agent process', async () => {
    const proc = await AgentProcess.spawn({
      agentName: 'scripted',
      command: process.execPath,
      args: [SCRIPTED_BIN],
      env: { PATH: process.env.PATH ?? '' },
      cwd: tmpdir(),
      stderrTailBytes: 4096,
      shutdownGraceMs: 500,
    });
    const pid = proc.pid as number;
    expect(isAlive(pid)).toBe(true);
    await expect(connectAgent('scripted', proc, 10_000)).rejects.toMatchObject({
      code: 'AGENT_START_FAILED',
      message: expect.stringMatching(/@agentclientprotocol\/sdk.*Cannot find package.*Reinstall Aegis/),
    });
    expect(proc.exited).not.toBeNull();
    expect(isAlive(pid)).toBe(false);
  });
});
