import type { SessionHealth } from '@aegis/client';
import { t, tp } from '../i18n/index.js';
import { fmtMs } from './transcript.js';

/**
 * The Health panel's one sentence for a person: what the session is doing and what, if anything,
 * they can do about it here. (The API's `hints` name REST calls; those are for scripts.)
 */
export function healthSentence(h: SessionHealth): string {
  switch (h.status) {
    case 'completed':
    case 'killed':
    case 'crashed':
      return t('health.ended', { status: h.status });
    default:
      break;
  }
  if (h.pendingPermission) return t('health.permission');
  if (h.pendingQuestion) return t('health.question');
  if (h.status === 'stalled') return t('health.stalled', { time: fmtMs(h.stalledMs ?? 0) });
  if (h.status === 'rate_limit') return t('health.rateLimit');
  if (h.status === 'error')
    return t('health.error', { problem: h.problem?.message ?? t('health.lastFailed') });
  if (h.status === 'working' || h.status === 'pending') {
    const queued = h.queuedPrompts ? ` ${tp('health.queued', h.queuedPrompts)}` : '';
    return `${t('health.working')}${queued}`;
  }
  if (!h.alive) return t('health.notRunning');
  return t('health.ready');
}
