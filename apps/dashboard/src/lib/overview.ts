/**
 * Figures for the Overview cards, from what the API already serves: the session list (usage per
 * session) and each session's transcript, whose `user` entries are its turns — one is recorded at
 * every `turn.started`, at the time the turn started. Tokens and cost per day come from the usage
 * ledger (`lastDaysSeries` in cost.ts).
 */
import type { Session, TranscriptEntry } from '@aegis/client';

/** Local midnight of `now`'s day. */
export function startOfDay(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}

/** One page of a session's `user` transcript entries, oldest first (`getTranscriptPage`). */
export type UserEntriesPage = (
  sessionId: string,
  beforeId: number | undefined,
) => Promise<{ messages: Pick<TranscriptEntry, 'at'>[]; has_more: boolean; oldest_id: number | null }>;

/** Per session: its turn count and day when last counted, so an unchanged session is not re-read. */
export type TurnsTodayCache = Map<string, { turns: number; day: number; today: number }>;

/**
 * Turns started today (local time) across `sessions`. Only sessions active today are read, each
 * newest page first and back only while the page still starts today; a session whose turn count
 * has not moved since the last call comes from `cache`.
 */
export async function turnsToday(
  sessions: readonly Session[],
  fetchPage: UserEntriesPage,
  cache: TurnsTodayCache = new Map(),
  now = new Date(),
): Promise<number> {
  const day = startOfDay(now);
  const active = sessions.filter((s) => s.turns > 0 && Date.parse(s.lastActivityAt) >= day);
  const counts = await Promise.all(
    active.map(async (s) => {
      const hit = cache.get(s.id);
      if (hit && hit.turns === s.turns && hit.day === day) return hit.today;
      let today = 0;
      let before: number | undefined;
      for (;;) {
        const page = await fetchPage(s.id, before);
        today += page.messages.filter((m) => Date.parse(m.at) >= day).length;
        const oldest = page.messages[0];
        if (!page.has_more || page.oldest_id === null || !oldest || Date.parse(oldest.at) < day) break;
        before = page.oldest_id;
      }
      cache.set(s.id, { turns: s.turns, day, today });
      return today;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}
