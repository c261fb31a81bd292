// Who this server is in a cluster: its node id (kept in the state dir across restarts) and the
// address its peers reach it at.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from './config.js';

/** This node's id: configured, or made once and kept in the state dir (so a restart keeps it). */
export function nodeIdOf(config: ServerConfig): string {
  if (config.cluster.nodeId) return config.cluster.nodeId;
  const file = join(config.stateDir, 'node-id');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9._-]{1,64}$/.test(kept)) return kept;
  } catch {}
  const made = `${hostname()
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .slice(0, 40)}-${randomUUID().slice(0, 8)}`;
  writeFileSync(file, `${made}\n`);
  return made;
}

/** Where peers reach this node: configured, or this server's own URL (the hostname for 0.0.0.0 / ::). */
export function nodeAddressOf(config: ServerConfig): string {
  if (config.cluster.address) return config.cluster.address.replace(/\/+$/, '');
  const anyAddress = config.host === '0.0.0.0' || config.host === '::';
  const host = anyAddress ? hostname() : config.host.includes(':') ? `[${config.host}]` : config.host;
  return `http://${host}:${config.port}`;
}
