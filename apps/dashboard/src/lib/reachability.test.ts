import { describe, expect, it } from 'vitest';
import { liveLabel } from './reachability.js';

describe('liveLabel', () => {
  it.each([
    [{ ended: true, streaming: true, failed: false, serverUp: true }, 'ended', 'idle'],
    [{ ended: false, streaming: true, failed: true, serverUp: true }, 'offline', 'off'],
    [
      { ended: false, streaming: true, failed: false, serverUp: false },
      'offline: server unreachable, retrying',
      'off',
    ],
    [{ ended: false, streaming: true, failed: false, serverUp: true }, 'live', 'on'],
    [{ ended: false, streaming: true, failed: false, serverUp: null }, 'live', 'on'],
    [{ ended: false, streaming: false, failed: false, serverUp: true }, 'connecting…', 'idle'],
  ])('%o → %s', (input, text, tone) => {
    expect(liveLabel(input)).toEqual({ text, tone });
  });
});
