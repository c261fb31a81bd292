import { isAbsolute, relative, resolve } from 'node:path';
import { parseHostPattern } from '@aegis/acp-runtime';
import { AegisError, type SandboxRequest, type SessionSandbox } from '@aegis/core';

const within = (parent: string, child: string) => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

export interface SandboxPolicyOptions {
  mode: 'off' | 'on' | 'required';
  /** Hosts every sandbox may reach, besides the model. */
  allowedHosts: readonly string[];
  /** The server's state dir: never visible inside a sandbox. */
  stateDir: string;
  /** The workDir check (allowed roots); writable paths must pass it. */
  checkWritable: (path: string) => Promise<string>;
  /** Whether sandboxes work on this machine (`null`) or why not: a sandboxed session is refused then. */
  available?: (() => Promise<string | null>) | undefined;
}

/**
 * Decides a new session's sandbox from what it asked (`sandbox` in the request or template) and
 * the server's `sandbox.mode`: `null` when it runs unconfined. Refuses (400/403) a request the
 * server must not grant: unsandboxed under `required`, relative paths, a writable path outside
 * the allowed workDirs, a read-only path that would show the server's state dir, a malformed host.
 */
export async function resolveSandbox(
  requested: SandboxRequest | undefined,
  opts: SandboxPolicyOptions,
): Promise<SessionSandbox | null> {
  const enabled = requested?.enabled ?? (requested !== undefined || opts.mode !== 'off');
  if (!enabled) {
    if (opts.mode === 'required') {
      throw new AegisError(
        'FORBIDDEN',
        'This server runs every session sandboxed (sandbox.mode: required); drop `sandbox.enabled: false` from the request or template.',
        { details: { field: 'sandbox.enabled' } },
      );
    }
    return null;
  }
  const paths = (field: 'readOnlyPaths' | 'writablePaths') =>
    (requested?.[field] ?? []).map((p) => {
      if (!isAbsolute(p)) {
        throw AegisError.validation(`sandbox.${field}: ${JSON.stringify(p)} is not an absolute path.`, {
          field: `sandbox.${field}`,
        });
      }
      return resolve(p);
    });
  const readOnlyPaths = paths('readOnlyPaths');
  const state = resolve(opts.stateDir);
  for (const p of readOnlyPaths) {
    if (within(p, state) || within(state, p)) {
      throw AegisError.validation(
        `sandbox.readOnlyPaths: ${p} would show the server's state directory inside the sandbox; name a path outside ${state}.`,
        { field: 'sandbox.readOnlyPaths' },
      );
    }
  }
  const writablePaths: string[] = [];
  for (const p of paths('writablePaths')) writablePaths.push(await opts.checkWritable(p));
  const allowedHosts = [...new Set([...opts.allowedHosts, ...(requested?.allowedHosts ?? [])])];
  for (const h of allowedHosts) {
    if (!parseHostPattern(h)) {
      throw AegisError.validation(
        `sandbox.allowedHosts: ${JSON.stringify(h)} is not a host (use host, host:port or *.domain).`,
        { field: 'sandbox.allowedHosts' },
      );
    }
  }
  const problem = await opts.available?.();
  if (problem) {
    throw new AegisError(
      'SANDBOX_UNAVAILABLE',
      `This session must run sandboxed (${requested === undefined ? `sandbox.mode: ${opts.mode}` : 'it asked'}), but ${problem}`,
      { details: { mode: opts.mode } },
    );
  }
  return {
    network: requested?.network ?? 'model',
    allowedHosts,
    readOnlyPaths,
    writablePaths,
  };
}
