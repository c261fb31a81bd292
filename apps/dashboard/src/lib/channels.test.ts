import type { Channel } from '@aegis/client';
import { describe, expect, it } from 'vitest';
import { channelRows } from './channels.js';

const channel = (over: Partial<Channel>): Channel => ({
  name: 'telegram',
  configured: true,
  state: 'ok',
  lastError: null,
  lastErrorAt: null,
  lastSentAt: null,
  pausedUntil: null,
  queueDepth: 0,
  outbox: null,
  detail: null,
  runner: null,
  ...over,
});

describe('channelRows', () => {
  it('lists configured channels only, bad on error, attention while retrying or queued', () => {
    const rows = channelRows([
      channel({ name: 'telegram', state: 'error', lastError: 'token refused' }),
      channel({ name: 'slack', state: 'retrying' }),
      channel({ name: 'email', state: 'ok', queueDepth: 2 }),
      channel({ name: 'email', configured: false, state: 'disabled' }),
    ]);
    expect(rows.map((r) => [r.channel.name, r.tone])).toEqual([
      ['telegram', 'bad'],
      ['slack', 'attn'],
      ['email', 'attn'],
    ]);
    expect(channelRows([channel({})])[0]?.tone).toBe('ok');
  });
});
