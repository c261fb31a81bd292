import type { Channel } from '@aegis/client';

/** The words of the channel health card, in one place (translations go here). */
export const text = {
  title: 'Channels',
  none: 'No channel configured. Set one up with ag setup telegram | slack | email.',
  waiting: (n: number) => `${n} waiting`,
  lastError: 'Last error',
  paused: (until: string) => `paused until ${until}`,
  unconfirmed: (n: number) => `${n} unconfirmed`,
  state: {
    ok: 'OK',
    starting: 'Starting',
    retrying: 'Retrying',
    error: 'Error',
    stopped: 'Stopped',
    disabled: 'Off',
  } as Record<Channel['state'], string>,
};

/** The configured channels and the tone of each: bad on error, attention while retrying or queued. */
export function channelRows(channels: Channel[]): { channel: Channel; tone: 'ok' | 'bad' | 'attn' }[] {
  return channels
    .filter((c) => c.configured)
    .map((channel) => ({
      channel,
      tone:
        channel.state === 'error' || channel.state === 'stopped'
          ? 'bad'
          : channel.state === 'retrying' || channel.queueDepth > 0
            ? 'attn'
            : 'ok',
    }));
}
