import type { Channel } from '@aegis/client';
import { t } from '../i18n/index.js';

/** The words of the channel health card, from the message catalog. */
export const text = {
  title: () => t('channels.title'),
  none: () => t('channels.none'),
  waiting: (n: number) => t('channels.waiting', { n }),
  lastError: () => t('channels.lastError'),
  paused: (until: string) => t('channels.paused', { until }),
  unconfirmed: (n: number) => t('channels.unconfirmed', { n }),
  state: (s: Channel['state']) => t(`channels.state.${s}`),
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
