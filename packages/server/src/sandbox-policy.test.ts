import { AegisError } from '@aegis/core';
import { describe, expect, it } from 'vitest';
import { resolveSandbox, type SandboxPolicyOptions } from './sandbox-policy.js';

const opts = (
  mode: SandboxPolicyOptions['mode'],
  extra: Partial<SandboxPolicyOptions> = {},
): SandboxPolicyOptions => ({
  mode,
  allowedHosts: ['registry.example.org'],
  stateDir: '/srv/aegis/state',
  checkWritable: async (p) => {
    if (!p.startsWith('/work/'))
      throw new AegisError('WORKDIR_DENIED', `${p} is outside the allowed workDirs`);
    return p;
  },
  ...extra,
});

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AegisError);
  return err as AegisError;
};

describe('which sessions run sandboxed', () => {
  it('follows the server mode unless the session asks', async () => {
    expect(await resolveSandbox(undefined, opts('off'))).toBeNull();
    expect(await resolveSandbox({}, opts('off'))).toMatchObject({ network: 'model' });
    expect(await resolveSandbox(undefined, opts('on'))).toMatchObject({
      allowedHosts: ['registry.example.org'],
    });
    expect(await resolveSandbox({ enabled: false }, opts('on'))).toBeNull();
    expect(await resolveSandbox(undefined, opts('required'))).not.toBeNull();
    const err = await refusal(resolveSandbox({ enabled: false }, opts('required')));
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toMatch(/sandbox\.mode: required/);
  });

  it('merges hosts and checks paths', async () => {
    const s = await resolveSandbox(
      {
        allowedHosts: ['*.pypi.example', 'registry.example.org'],
        writablePaths: ['/work/cache'],
        network: 'none',
      },
      opts('off'),
    );
    expect(s).toEqual({
      network: 'none',
      allowedHosts: ['registry.example.org', '*.pypi.example'],
      readOnlyPaths: [],
      writablePaths: ['/work/cache'],
    });
    expect((await refusal(resolveSandbox({ readOnlyPaths: ['relative/dir'] }, opts('off')))).code).toBe(
      'VALIDATION_FAILED',
    );
    expect((await refusal(resolveSandbox({ readOnlyPaths: ['/srv/aegis'] }, opts('off')))).message).toMatch(
      /state directory/,
    );
    expect(
      (await refusal(resolveSandbox({ readOnlyPaths: ['/srv/aegis/state/db'] }, opts('off')))).code,
    ).toBe('VALIDATION_FAILED');
    expect((await refusal(resolveSandbox({ writablePaths: ['/home/alice/.ssh'] }, opts('off')))).code).toBe(
      'WORKDIR_DENIED',
    );
    expect((await refusal(resolveSandbox({ allowedHosts: ['http://x'] }, opts('off')))).message).toMatch(
      /not a host/,
    );
  });
});

describe('a machine without a working sandbox', () => {
  it('refuses sandboxed sessions with SANDBOX_UNAVAILABLE and lets the others run', async () => {
    const broken = opts('on', { available: async () => 'bwrap is not installed' });
    const err = await refusal(resolveSandbox(undefined, broken));
    expect(err.code).toBe('SANDBOX_UNAVAILABLE');
    expect(err.message).toMatch(/sandbox\.mode: on\), but bwrap is not installed/);
    expect(await resolveSandbox({ enabled: false }, broken)).toBeNull();
  });
});
