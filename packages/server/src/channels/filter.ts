import type { AegisEvent, Session } from '@aegis/core';
import type { ChannelFilterConfig } from './config.js';

/** `*` (within a path segment), `**` (any depth) and `?` as a regular expression over the whole string. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      // `/**` also matches the directory itself.
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out.replace(/\/\.\*$/, '(?:/.*)?')}$`);
}

/**
 * Decides which events a channel takes: by kind (its own default set unless `events` is given),
 * then by the session (owner, name, workDir, template). Each session is decided once and cached.
 * `templateName` finds a stored template's name (built-in templates' ids are their names).
 */
export function channelFilter(
  config: ChannelFilterConfig,
  defaults: readonly string[],
  getSession: (id: string) => Promise<Session | undefined>,
  templateName: (id: string) => Promise<string | undefined> = async () => undefined,
): (event: AegisEvent) => Promise<boolean> {
  const kinds = new Set(config.events ?? defaults);
  const s = config.sessions;
  const names = s?.names?.map(globToRegExp);
  const dirs = s?.workDirs?.map(globToRegExp);
  const templates = s?.templates?.map(globToRegExp);
  const fromTemplate = async (session: Session) => {
    if (!templates) return true;
    if (!session.templateId) return false;
    if (templates.some((r) => r.test(session.templateId as string))) return true;
    const name = await templateName(session.templateId).catch(() => undefined);
    return name !== undefined && templates.some((r) => r.test(name));
  };
  const cache = new Map<string, boolean>();
  return async (event) => {
    if (!kinds.has(event.type)) return false;
    if (!s) return true;
    const known = cache.get(event.sessionId);
    if (known !== undefined) return known;
    const session = await getSession(event.sessionId);
    const ok =
      !!session &&
      (!s.owners || s.owners.includes(session.ownerId ?? 'local')) &&
      (!names || names.some((r) => r.test(session.name ?? ''))) &&
      (!dirs || dirs.some((r) => r.test(session.workDir))) &&
      (await fromTemplate(session));
    if (cache.size > 10_000) cache.clear();
    cache.set(event.sessionId, ok);
    return ok;
  };
}
