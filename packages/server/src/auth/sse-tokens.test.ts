import { describe, expect, it } from 'vitest';
import { operationMatcher } from './operations.js';
import { sseTokenRegistry } from './sse-tokens.js';

describe('sseTokenRegistry', () => {
  const actor = { id: 'key_1', role: 'viewer', admin: false };

  it('refuses a token after its lifetime', () => {
    let t = 0;
    const reg = sseTokenRegistry(60_000, () => t);
    const { token } = reg.mint(actor, null);
    t = 60_000;
    expect(reg.consume(token, null)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a token once, within its lifetime, bound to the minting identity', () => {
    let t = 0;
    const reg = sseTokenRegistry(60_000, () => t);
    const { token } = reg.mint(actor, 's1');
    t = 59_999;
    expect(reg.consume(token, 's1')).toEqual({ ok: true, actor });
    expect(reg.consume(token, 's1')).toEqual({ ok: false, reason: 'unknown' });
  });

  it("voids every unused token of one key, and no other key's", () => {
    const reg = sseTokenRegistry(60_000);
    const a = [reg.mint(actor, null), reg.mint(actor, 's1')];
    const other = reg.mint({ ...actor, id: 'key_2' }, null);
    expect(reg.revokeActor('key_1')).toBe(2);
    for (const { token, sessionId } of a) {
      expect(reg.consume(token, sessionId)).toEqual({ ok: false, reason: 'revoked' });
    }
    expect(reg.consume(other.token, null).ok).toBe(true);
  });

  it('burns a token used on the wrong stream', () => {
    const reg = sseTokenRegistry(60_000);
    const { token } = reg.mint(actor, 's1');
    expect(reg.consume(token, 's2')).toEqual({ ok: false, reason: 'scope' });
    expect(reg.consume(token, 's1')).toEqual({ ok: false, reason: 'unknown' });
  });

  it('forgets expired tokens when minting', () => {
    let t = 0;
    const reg = sseTokenRegistry(1000, () => t);
    reg.mint(actor, null);
    t = 2000;
    reg.mint(actor, null);
    expect(reg.size).toBe(1);
  });
});

describe('operationMatcher', () => {
  const match = operationMatcher(
    {
      '/v1/sessions/{id}': { delete: { operationId: 'killSession' }, get: { operationId: 'getSession' } },
      '/v1/sessions/batch': { delete: { operationId: 'batchDeleteSessions' } },
    },
    { 'GET /metrics': 'getMetrics' },
  );

  it('prefers literal segments over parameters', () => {
    expect(match('DELETE', '/v1/sessions/batch')).toEqual({ operationId: 'batchDeleteSessions', params: {} });
    expect(match('DELETE', '/v1/sessions/abc')).toEqual({
      operationId: 'killSession',
      params: { id: 'abc' },
    });
  });

  it('decodes parameters, treats HEAD as GET, and finds undocumented routes', () => {
    expect(match('HEAD', '/v1/sessions/a%20b')?.params.id).toBe('a b');
    expect(match('GET', '/metrics')?.operationId).toBe('getMetrics');
    expect(match('POST', '/v1/sessions/abc')).toBeUndefined();
    expect(match('GET', '/v1/sessions/abc/extra')).toBeUndefined();
  });
});
