// Test helpers for the attack suite: a real server on port 0 with the scripted agent.
// biome-ignore-all lint/suspicious/noExplicitAny: response bodies are asserted field by field in tests
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN } from '@aegis/testkit';
import type { ServerConfigInput } from '../../config.js';
import { createLogger } from '../../logger.js';
import { type RunningServer, startServer } from '../../server.js';

export interface Booted {
  server: RunningServer;
  root: string;
  work: string;
  dbPath: string;
  logs: string[];
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /** Creates a key (as `admin`, or zero-config when no admin secret is given). */
  key(
    role: 'admin' | 'operator' | 'viewer',
    admin?: string,
    extra?: Record<string, unknown>,
  ): Promise<string>;
}

export async function boot(config: Partial<ServerConfigInput> = {}): Promise<Booted> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-attack-')));
  const work = join(root, 'work');
  mkdirSync(work);
  const logs: string[] = [];
  const stream = { isTTY: false, write: (s: string) => logs.push(s) } as unknown as NodeJS.WriteStream;
  const dbPath = join(root, 'state', 'aegis.db');
  const server = await startServer({
    ignoreEnv: true,
    logger: createLogger('debug', stream),
    config: {
      host: '127.0.0.1',
      port: 0,
      stateDir: join(root, 'state'),
      dbPath,
      allowedWorkDirs: [work],
      agents: { scripted: { command: process.execPath, args: [SCRIPTED_AGENT_BIN] } },
      defaultAgent: 'scripted',
      ...config,
    },
  });
  const call: Booted['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(server.url + path, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? null : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  return {
    server,
    root,
    work,
    dbPath,
    logs,
    call,
    async key(role, admin, extra = {}) {
      const res = await call('POST', '/v1/auth/keys', {
        token: admin,
        body: { name: `${role}-key`, role, ...extra },
      });
      if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
      return res.body.secret as string;
    },
  };
}

/** Opens an SSE stream and returns the first frame's data (or the error status). */
export async function firstFrame(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: any }> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ac.signal });
  if (!res.ok || !res.body) {
    const text = await res.text();
    return { status: res.status, data: text ? JSON.parse(text) : undefined };
  }
  const reader = res.body.getReader();
  let buf = '';
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      const m = /data: (.*)\n/.exec(buf);
      if (m?.[1]) return { status: res.status, data: JSON.parse(m[1]) };
    }
  } finally {
    ac.abort();
  }
  return { status: res.status };
}
