import type { AuditRecord } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import {
  auditCsv,
  auditDetailPairs,
  auditNdjson,
  auditQuery,
  EMPTY_AUDIT_FILTER,
  filterFromSearch,
  filterToSearch,
  outcomeTone,
  verificationText,
} from './audit.js';

describe('auditQuery', () => {
  it('leaves blank fields out and trims text', () => {
    expect(auditQuery(EMPTY_AUDIT_FILTER)).toEqual({});
    expect(
      auditQuery({ ...EMPTY_AUDIT_FILTER, actor: ' bootstrap ', action: 'createSession', sessionId: '  ' }),
    ).toEqual({
      actor: 'bootstrap',
      action: 'createSession',
    });
  });
  it('turns local date-times into ISO instants; a minute-precision "to" covers the whole minute', () => {
    const q = auditQuery({ ...EMPTY_AUDIT_FILTER, from: '2026-03-01T10:00', to: '2026-03-01T11:30' });
    expect(q.from).toBe(new Date('2026-03-01T10:00').toISOString());
    expect(Date.parse(q.to!) - Date.parse(new Date('2026-03-01T11:30').toISOString())).toBe(59_999);
    const withSeconds = auditQuery({ ...EMPTY_AUDIT_FILTER, to: '2026-03-01T11:30:15' });
    expect(withSeconds.to).toBe(new Date('2026-03-01T11:30:15').toISOString());
  });
  it('rejects unreadable dates and from > to', () => {
    expect(() => auditQuery({ ...EMPTY_AUDIT_FILTER, from: 'yesterday' })).toThrow(/Not a date/);
    expect(() =>
      auditQuery({ ...EMPTY_AUDIT_FILTER, from: '2026-03-02T00:00', to: '2026-03-01T00:00' }),
    ).toThrow(/after/);
  });
});

describe('filter in the URL', () => {
  it('round-trips and stays empty for an empty filter', () => {
    const f = { ...EMPTY_AUDIT_FILTER, actor: 'k 1', from: '2026-03-01T10:00' };
    expect(filterToSearch(EMPTY_AUDIT_FILTER)).toBe('');
    expect(filterToSearch(f)).toBe('?actor=k+1&from=2026-03-01T10%3A00');
    expect(filterFromSearch(filterToSearch(f))).toEqual(f);
  });
});

describe('verificationText', () => {
  it('says how many records held, or where the chain broke and why', () => {
    expect(verificationText({ ok: true, checked: 1234, firstBroken: null })).toBe(
      'Chain intact: 1,234 records verified.',
    );
    expect(verificationText({ ok: true, checked: 1, firstBroken: null })).toBe(
      'Chain intact: 1 record verified.',
    );
    expect(verificationText({ ok: false, checked: 6, firstBroken: { id: 7, reason: 'hash_mismatch' } })).toBe(
      'Chain broken at record #7: its hash does not match its contents (6 verified before it).',
    );
    expect(
      verificationText({ ok: false, checked: 2, firstBroken: { id: 3, reason: 'prev_hash_mismatch' } }),
    ).toMatch(/#3: its link to the previous record/);
    expect(
      verificationText({ ok: false, checked: 9, firstBroken: { id: 10, reason: 'head_mismatch' } }),
    ).toMatch(/#10: the log does not end where the last write left it/);
    expect(verificationText({ ok: false, checked: 3, firstBroken: { id: 4, reason: 'id_gap' } })).toMatch(
      /#4: this record is missing/,
    );
  });
});

describe('record helpers', () => {
  it('tones outcomes and shortens details', () => {
    expect(outcomeTone('201')).toBe('ok');
    expect(outcomeTone('allow_once')).toBe('ok');
    expect(outcomeTone('403')).toBe('bad');
    expect(outcomeTone('reject_once')).toBe('bad');
    expect(outcomeTone('other')).toBe('muted');
  });

  it('shows details as key/value pairs, not raw JSON', () => {
    expect(
      auditDetailPairs({
        details: {
          name: 'ci-bot',
          role: 'operator',
          expiresInSeconds: 3600,
          scopes: ['read', 'write'],
          session: { id: 's1', workDir: '/w' },
          note: null,
          a: 'x'.repeat(300),
        },
      }),
    ).toEqual([
      ['name', 'ci-bot'],
      ['role', 'operator'],
      ['expiresInSeconds', '3600'],
      ['scopes', 'read, write'],
      ['session.id', 's1'],
      ['session.workDir', '/w'],
      ['note', '—'],
      ['a', `${'x'.repeat(79)}…`],
    ]);
    expect(auditDetailPairs({ details: null } as never)).toEqual([]);
  });
});

describe('audit export files', () => {
  const rec = (over: Partial<AuditRecord>): AuditRecord => ({
    id: 1,
    at: '2026-01-01T00:00:00.000Z',
    actorId: 'k1',
    actorRole: 'admin',
    action: 'createSession',
    target: 'sess-1',
    outcome: '201',
    details: null,
    prevHash: null,
    hash: 'h1',
    ...over,
  });

  it('writes CSV as the server does: header, JSON details quoted, formula-looking cells defused', () => {
    const csv = auditCsv([
      rec({}),
      rec({ id: 2, target: '=cmd()', details: { workDir: '/a,b', n: 1 }, prevHash: 'h1', hash: 'h2' }),
    ]);
    expect(csv).toBe(
      'id,at,actorId,actorRole,action,target,outcome,details,prevHash,hash\n' +
        '1,2026-01-01T00:00:00.000Z,k1,admin,createSession,sess-1,201,,,h1\n' +
        `2,2026-01-01T00:00:00.000Z,k1,admin,createSession,'=cmd(),201,"{""workDir"":""/a,b"",""n"":1}",h1,h2\n`,
    );
  });

  it('writes NDJSON one record a line', () => {
    const nd = auditNdjson([rec({}), rec({ id: 2 })]);
    expect(nd.split('\n')).toHaveLength(3);
    expect(JSON.parse(nd.split('\n')[1]!)).toMatchObject({ id: 2, hash: 'h1' });
  });
});
