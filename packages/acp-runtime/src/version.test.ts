import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initializeParams } from './translate.js';
import { ACP_RUNTIME_VERSION } from './version.js';

describe('ACP client version', () => {
  it('is the installed package version, sent as clientInfo in initialize', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(ACP_RUNTIME_VERSION).toBe(pkg.version);
    expect(initializeParams(ACP_RUNTIME_VERSION, 1).clientInfo?.version).toBe(pkg.version);
  });
});
