import { lstat, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import type { ConversationSnapshot } from '@aegis/core';

/**
 * Where an agent keeps its own conversation files. `dirEnv` names the variable that holds the
 * directory (else `homeSubdir` under HOME); `files` are paths below it where `{id}` is the agent
 * session id and `*` matches one path segment.
 */
export interface ConversationSpec {
  dirEnv?: string | undefined;
  homeSubdir?: string | undefined;
  files: string[];
}

/**
 * Claude Code: the session's transcript JSONL (and its subagents' transcripts) under its config
 * dir, `projects/<cwd-key>/<session-id>.jsonl`. Never credentials, settings or `.claude.json`.
 */
export const CLAUDE_CODE_CONVERSATION: ConversationSpec = {
  dirEnv: 'CLAUDE_CONFIG_DIR',
  homeSubdir: '.claude',
  files: ['projects/*/{id}.jsonl', 'projects/*/{id}/subagents/*.jsonl'],
};

const ENCODING = 'gzip+base64';
// On libuv's thread pool, not the event loop: a long session's transcript is megabytes, captured
// at every turn's end (8 MB took ~140 ms to compress, and every session on the server waited).
const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);
const SAFE_ID = /^[\w.-]{1,200}$/;

/** The directory the agent's files live in, from the environment the agent runs with. */
export function conversationDir(
  spec: ConversationSpec,
  env: Record<string, string | undefined>,
): string | null {
  const fromEnv = spec.dirEnv ? env[spec.dirEnv] : undefined;
  if (fromEnv) return fromEnv;
  if (spec.homeSubdir && env.HOME) return join(env.HOME, spec.homeSubdir);
  return null;
}

function segmentMatcher(segment: string): (name: string) => boolean {
  if (!segment.includes('*')) return (name) => name === segment;
  const re = new RegExp(
    `^${segment
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')}$`,
  );
  return (name) => re.test(name);
}

/** Regular files (never symlinks) below `base` that match `pattern`, as paths relative to it. */
async function expand(base: string, pattern: string): Promise<string[]> {
  const segments = pattern.split('/').filter(Boolean);
  const out: string[] = [];
  const walk = async (dir: string, i: number, rel: string[]): Promise<void> => {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    let names: string[];
    if (segment.includes('*')) {
      names = await readdir(dir).catch(() => []);
      const match = segmentMatcher(segment);
      names = names.filter(match);
    } else names = [segment];
    for (const name of names) {
      const path = join(dir, name);
      const info = await lstat(path).catch(() => null);
      if (!info) continue;
      if (last) {
        if (info.isFile()) out.push([...rel, name].join('/'));
      } else if (info.isDirectory()) await walk(path, i + 1, [...rel, name]);
    }
  };
  if (segments.length > 0) await walk(base, 0, []);
  return out;
}

/** Copies the agent's files of one session; `null` when there are none. */
export async function captureConversationFiles(
  spec: ConversationSpec,
  env: Record<string, string | undefined>,
  agentSessionId: string,
): Promise<ConversationSnapshot | null> {
  const base = conversationDir(spec, env);
  if (!base || !SAFE_ID.test(agentSessionId)) return null;
  const paths = new Set<string>();
  for (const pattern of spec.files) {
    for (const p of await expand(base, pattern.replaceAll('{id}', agentSessionId))) paths.add(p);
  }
  if (paths.size === 0) return null;
  const files: ConversationSnapshot['files'] = [];
  let bytes = 0;
  for (const path of [...paths].sort()) {
    const data = await readFile(join(base, path)).catch(() => null);
    if (!data) continue;
    bytes += data.length;
    files.push({ path, encoding: ENCODING, data: (await gzip(data)).toString('base64') });
  }
  if (files.length === 0) return null;
  return { agentSessionId, files, bytes, capturedAt: new Date().toISOString() };
}

/**
 * Puts captured files back below the agent's directory. A file that is already there and at least
 * as long is left alone (the files are append-only: the local one is as new or newer). Paths that
 * would leave the directory are refused.
 */
export async function restoreConversationFiles(
  spec: ConversationSpec,
  env: Record<string, string | undefined>,
  snapshot: ConversationSnapshot,
): Promise<{ written: string[]; kept: string[] }> {
  const base = conversationDir(spec, env);
  const written: string[] = [];
  const kept: string[] = [];
  if (!base) return { written, kept };
  for (const file of snapshot.files) {
    const target = normalize(join(base, file.path));
    const rel = relative(base, target);
    if (
      isAbsolute(file.path) ||
      rel.startsWith('..') ||
      rel.split(sep).includes('..') ||
      file.encoding !== ENCODING
    )
      throw new Error(`refusing to restore conversation file ${JSON.stringify(file.path)}`);
    const data = await gunzip(Buffer.from(file.data, 'base64'));
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size >= data.length) {
      kept.push(file.path);
      continue;
    }
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${target}.aegis-restore-${process.pid}`;
    await writeFile(tmp, data, { mode: 0o600 });
    await rename(tmp, target);
    written.push(file.path);
  }
  return { written, kept };
}
