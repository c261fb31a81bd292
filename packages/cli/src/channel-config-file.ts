import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { configCandidates } from './config.js';
import { ConfigError } from './output.js';

/**
 * The config file `ag setup` writes to: `--config`, else the file `ag serve` would read, else
 * `./.aegis/config.yaml` (created).
 */
export function setupConfigPath(explicit?: string, cwd = process.cwd()): string {
  if (explicit) return resolve(cwd, explicit);
  return configCandidates(cwd).find((p) => existsSync(p)) ?? join(cwd, '.aegis', 'config.yaml');
}

/**
 * Sets `server.channels.<name>` in the file (YAML keeps its comments and the rest of the file; a
 * flat file of the earlier documents gets `channels` at the top), and makes the file readable by
 * its owner only, since it now holds a token.
 */
export function writeChannelConfig(path: string, name: string, value: Record<string, unknown>): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  let out: string;
  if (path.endsWith('.json')) {
    let data: Record<string, unknown>;
    try {
      data = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch (err) {
      throw new ConfigError(`Config file ${path} is not valid JSON: ${(err as Error).message}`);
    }
    const flat = Object.keys(data).length > 0 && !('server' in data) && !('client' in data);
    const section = (flat ? data : ((data.server ??= {}) as Record<string, unknown>)) as Record<
      string,
      unknown
    >;
    section.channels = { ...(section.channels as Record<string, unknown> | undefined), [name]: value };
    out = `${JSON.stringify(data, null, 2)}\n`;
  } else {
    const doc = parseDocument(text);
    if (doc.errors.length > 0)
      throw new ConfigError(`Config file ${path} is not valid YAML: ${doc.errors[0]?.message}`);
    const top = doc.toJS() as Record<string, unknown> | null;
    const flat = !!top && Object.keys(top).length > 0 && !('server' in top) && !('client' in top);
    doc.setIn(flat ? ['channels', name] : ['server', 'channels', name], value);
    out = doc.toString();
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, out, { mode: 0o600 });
  chmodSync(path, 0o600);
}
