/**
 * An allow-list entry for hosts a sandbox may reach besides the model: `host`, `host:port`,
 * `*.domain` (any subdomain) or `[v6]` / `[v6]:port`. One parser for the server's check of a request
 * and the egress proxy's decision.
 */
export interface HostPattern {
  /** Lower-case host name or address (no brackets); for a wildcard, the domain after `*.`. */
  name: string;
  /** Only this port, or any (`null`). */
  port: number | null;
  /** `*.domain`: any host below the domain (not the domain itself). */
  wildcard: boolean;
}

const NAME = /^[a-z0-9](?:[a-z0-9.-]{0,252})$/;
const V6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/;

/** The entry parsed, or `null` when it is not a host pattern. */
export function parseHostPattern(entry: string): HostPattern | null {
  const e = entry.trim().toLowerCase();
  const v6 = V6.exec(e);
  if (v6) return { name: v6[1] as string, port: v6[2] ? portOf(v6[2]) : null, wildcard: false };
  const colon = e.lastIndexOf(':');
  const hasPort = colon > 0 && /^\d{1,5}$/.test(e.slice(colon + 1));
  let name = hasPort ? e.slice(0, colon) : e;
  const port = hasPort ? portOf(e.slice(colon + 1)) : null;
  if (Number.isNaN(port)) return null;
  const wildcard = name.startsWith('*.');
  if (wildcard) name = name.slice(2);
  if (!NAME.test(name)) return null;
  return { name, port, wildcard };
}

const portOf = (text: string) => {
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : Number.NaN;
};

/** Whether `host:port` matches an allow-list entry; malformed entries match nothing. */
export function hostAllowed(allowed: readonly string[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allowed.some((entry) => {
    const p = parseHostPattern(entry);
    if (!p || (p.port !== null && p.port !== port)) return false;
    return p.wildcard ? h.endsWith(`.${p.name}`) : h === p.name;
  });
}
