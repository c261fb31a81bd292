import type { ApiKey } from '@aegis/client';
import { t, tp } from '../i18n/index.js';

export const EXPIRY_CHOICES: { seconds: number | null }[] = [
  { seconds: null },
  { seconds: 86_400 },
  { seconds: 30 * 86_400 },
  { seconds: 90 * 86_400 },
  { seconds: 365 * 86_400 },
];

/** An expiry choice in words: `Never`, `1 day`, `30 days`, `1 year`. */
export function expiryLabel(seconds: number | null): string {
  if (seconds === null) return t('keys.expiry.never');
  const days = seconds / 86_400;
  return days % 365 === 0 ? tp('keys.expiry.years', days / 365) : tp('keys.expiry.days', days);
}

/** Active keys first (newest first), then expired, then revoked. */
export function sortKeys(keys: readonly ApiKey[]): ApiKey[] {
  const rank = { active: 0, expired: 1, revoked: 2 } as const;
  return [...keys].sort((a, b) => rank[a.status] - rank[b.status] || b.createdAt.localeCompare(a.createdAt));
}

/** A note on a key's lifetime: a rotation grace period still running, or when it expires. */
export function keyNote(k: ApiKey, now = Date.now()): string {
  if (k.status === 'revoked')
    return k.revokedAt
      ? t('keys.note.revokedAt', { at: k.revokedAt.slice(0, 10) })
      : t('keys.status.revoked');
  const parts: string[] = [];
  if (k.rotationGraceEndsAt && Date.parse(k.rotationGraceEndsAt) > now)
    parts.push(t('keys.note.grace', { at: k.rotationGraceEndsAt.slice(11, 16) }));
  if (k.expiresAt)
    parts.push(
      t(Date.parse(k.expiresAt) > now ? 'keys.note.expires' : 'keys.note.expired', {
        at: k.expiresAt.slice(0, 10),
      }),
    );
  return parts.join(' · ');
}
