import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SandboxSpec } from '@aegis/core';
import { AegisError } from '@aegis/core';
import { type EgressAttempt, startEgressProxy } from './egress-proxy.js';
import type { SandboxRuntime } from './types.js';

/** Runs inside every sandbox; shipped at the package root (beside `dist/`). */
export const SANDBOX_LAUNCHER = fileURLToPath(new URL('../../sandbox-launcher.mjs', import.meta.url));
/** The loopback port inside a sandbox where the model (and the egress proxy) is reached. */
export const SANDBOX_EGRESS_PORT = 8199;

/** Variables that carry model credentials: they stay outside; the egress proxy adds them. */
const CREDENTIALS = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN'];

export interface SandboxHostOptions {
  runtime: SandboxRuntime;
  /** Where per-session sandbox homes and egress sockets live (under the server's state dir, never visible inside). */
  dir: string;
  /** Told of every connection attempt out of a sandbox (allowed or refused), for the audit trail. */
  onEgress?: ((sessionId: string, attempt: EgressAttempt) => void) | undefined;
}

/** A sandbox prepared for one agent process: its command line and environment, and its teardown. */
export interface PreparedSandbox {
  command: string;
  args: string[];
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The private HOME of a session's sandbox (kept across restarts of its agent, for resume). */
export const sandboxHome = (dir: string, sessionId: string) => join(dir, safeName(sessionId), 'home');

const safeName = (id: string) => {
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(id) || id === '.' || id === '..') {
    throw new AegisError(
      'VALIDATION_FAILED',
      `Session id ${JSON.stringify(id)} cannot name a sandbox directory.`,
    );
  }
  return id;
};

/**
 * Prepares the sandbox of one agent process: the session's private HOME, its egress proxy (model
 * endpoint with the server's credentials, plus `allowedHosts`), and the confined command line. The
 * environment inside points the agent at the proxy and holds no model credential.
 */
export async function prepareSandbox(
  host: SandboxHostOptions,
  launch: {
    sessionId: string;
    command: string;
    args: readonly string[];
    env: Record<string, string>;
    workDir: string;
  },
  spec: SandboxSpec,
): Promise<PreparedSandbox> {
  const problem = await host.runtime.check();
  if (problem) {
    throw new AegisError('SANDBOX_UNAVAILABLE', `This session must run sandboxed, but ${problem}`);
  }
  const root = join(host.dir, safeName(launch.sessionId));
  const home = join(root, 'home');
  await mkdir(home, { recursive: true, mode: 0o700 });
  const env: Record<string, string> = { ...launch.env, HOME: home, TMPDIR: '/tmp' };
  const upstream = launch.env.ANTHROPIC_BASE_URL || 'https://api.anthropic.com';
  const credentials = {
    apiKey: launch.env.ANTHROPIC_API_KEY,
    authToken: launch.env.ANTHROPIC_AUTH_TOKEN,
  };
  for (const k of CREDENTIALS) delete env[k];
  let proxy: { close(): Promise<void> } | null = null;
  let egress: { socketPath: string; port: number } | null = null;
  if (spec.network !== 'none') {
    const socketPath = join(root, 'egress.sock');
    proxy = await startEgressProxy({
      socketPath,
      upstream,
      credentials,
      allowedHosts: spec.allowedHosts ?? [],
      onAttempt: (a) => host.onEgress?.(launch.sessionId, a),
    });
    egress = { socketPath, port: SANDBOX_EGRESS_PORT };
    const inside = `http://127.0.0.1:${SANDBOX_EGRESS_PORT}`;
    Object.assign(env, {
      ANTHROPIC_BASE_URL: inside,
      // The agent must send some key; the proxy replaces it with the real one.
      ANTHROPIC_API_KEY: 'sandboxed',
      HTTP_PROXY: inside,
      HTTPS_PROXY: inside,
      http_proxy: inside,
      https_proxy: inside,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
    });
  }
  const { command, args } = host.runtime.wrap({
    command: launch.command,
    args: launch.args,
    env,
    launcher: SANDBOX_LAUNCHER,
    policy: {
      workDir: resolve(launch.workDir),
      home,
      readOnlyPaths: spec.readOnlyPaths ?? [],
      writablePaths: spec.writablePaths ?? [],
      egress,
    },
  });
  return {
    command,
    args,
    env,
    async close() {
      await proxy?.close().catch(() => {});
    },
  };
}

/** Removes a session's sandbox directory (its private HOME) once the session has ended. */
export async function removeSandbox(dir: string, sessionId: string): Promise<void> {
  await rm(join(dir, safeName(sessionId)), { recursive: true, force: true });
}
