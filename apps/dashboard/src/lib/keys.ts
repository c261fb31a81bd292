import type { ApiKey } from '@aegis/client';

export const EXPIRY_CHOICES: { label: string; seconds: number | null }[] = [
  { label: 'Never', seconds: null },
  { label: '1 day', seconds: 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
  { label: '90 days', seconds: 90 * 86_400 },
  { label: '1 year', seconds: 365 * 86_400 },
];

/** Active keys first (newest first), then expired, then revoked. */
export function sortKeys(keys: readonly ApiKey[]): ApiKey[] {
  const rank = { active: 0, expired: 1, revoked: 2 } as const;
  return [...keys].sort((a, b) => rank[a.status] - rank[b.status] || b.createdAt.localeCompare(a.createdAt));
}

/** A note on a key's lifetime: a rotation grace period still running, or when it expires. */
export function keyNote(k: ApiKey, now = Date.now()): string {
  if (k.status === 'revoked') return k.revokedAt ? `revoked ${k.revokedAt.slice(0, 10)}` : 'revoked';
  const parts: string[] = [];
  if (k.rotationGraceEndsAt && Date.parse(k.rotationGraceEndsAt) > now)
    parts.push(`old secret works until ${k.rotationGraceEndsAt.slice(11, 16)} UTC`);
  if (k.expiresAt)
    parts.push(`${Date.parse(k.expiresAt) > now ? 'expires' : 'expired'} ${k.expiresAt.slice(0, 10)}`);
  return parts.join(' · ');
}
