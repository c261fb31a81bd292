import { createHash } from 'node:crypto';
import { type FileHandle, lstat, mkdir, open, readdir, rename, stat, writeFile } from 'node:fs/promises';
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

/**
 * What a capture saw of each file: its size and a digest of its last bytes, so the next capture can
 * tell that the file only grew (Claude Code appends to its transcripts) and copy what was added.
 */
export interface ConversationMark {
  agentSessionId: string;
  files: Record<string, { size: number; tail: string; ino: number }>;
}

/** Bytes at the end of what was captured that must be unchanged for a capture to append after them. */
const TAIL_BYTES = 4096;

function tailDigest(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64');
}

/** Reads `[start, end)` of an open file. */
async function readRange(file: FileHandle, start: number, end: number): Promise<Buffer> {
  const buf = Buffer.alloc(end - start);
  let got = 0;
  while (got < buf.length) {
    const { bytesRead } = await file.read(buf, got, buf.length - got, start + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * One file as of now: its bytes after `prior` (when the file still starts with what `prior` saw),
 * else the whole of it; `null` when it cannot be read.
 */
async function readFileSince(
  path: string,
  prior: ConversationMark['files'][string] | undefined,
): Promise<{ data: Buffer; from: number; size: number; tail: string; ino: number } | null> {
  const file = await open(path, 'r').catch(() => null);
  if (!file) return null;
  try {
    const { size, ino } = await file.stat();
    // The same file (not one renamed over it), no shorter, ending where it ended with the same bytes.
    if (prior && ino === prior.ino && size >= prior.size) {
      const tailStart = Math.max(0, prior.size - TAIL_BYTES);
      const head = await readRange(file, tailStart, prior.size);
      if (head.length === prior.size - tailStart && tailDigest(head) === prior.tail) {
        const data = await readRange(file, prior.size, size);
        const last = data.length >= TAIL_BYTES ? data : Buffer.concat([head, data]);
        return {
          data,
          from: prior.size,
          size: prior.size + data.length,
          tail: tailDigest(last.subarray(-TAIL_BYTES)),
          ino,
        };
      }
    }
    const data = await file.readFile();
    return { data, from: 0, size: data.length, tail: tailDigest(data.subarray(-TAIL_BYTES)), ino };
  } finally {
    await file.close();
  }
}

/**
 * Copies the agent's files of one session; `null` when there are none. With `since` (the `mark` of
 * the previous capture, which the store holds), only what each file gained since: an `appended`
 * snapshot, with no piece for a file that did not change. The whole files when any file was
 * rewritten, shrank or went away.
 */
export async function captureConversationFiles(
  spec: ConversationSpec,
  env: Record<string, string | undefined>,
  agentSessionId: string,
  since?: ConversationMark,
): Promise<ConversationSnapshot | null> {
  const base = conversationDir(spec, env);
  if (!base || !SAFE_ID.test(agentSessionId)) return null;
  const paths = new Set<string>();
  for (const pattern of spec.files) {
    for (const p of await expand(base, pattern.replaceAll('{id}', agentSessionId))) paths.add(p);
  }
  if (paths.size === 0) return null;
  const prior = since?.agentSessionId === agentSessionId ? since.files : undefined;
  type Read = { path: string } & NonNullable<Awaited<ReturnType<typeof readFileSince>>>;
  let read: Read[] = [];
  for (const path of [...paths].sort()) {
    const got = await readFileSince(join(base, path), prior?.[path]);
    if (got) read.push({ path, ...got });
  }
  if (read.length === 0) return null;
  const appended =
    prior !== undefined &&
    Object.keys(prior).every((path) => read.some((f) => f.path === path && f.from === prior[path]?.size));
  if (prior && !appended) {
    // Not only appended to: the whole files, reading again those read from an offset.
    const whole: Read[] = [];
    for (const f of read) {
      const got = f.from === 0 ? f : await readFileSince(join(base, f.path), undefined);
      if (got) whole.push({ ...got, path: f.path });
    }
    if (whole.length === 0) return null;
    read = whole;
  }
  const files: ConversationSnapshot['files'] = [];
  const mark: ConversationMark = { agentSessionId, files: {} };
  let bytes = 0;
  for (const f of read) {
    bytes += f.size;
    mark.files[f.path] = { size: f.size, tail: f.tail, ino: f.ino };
    if (appended && f.from > 0 && f.data.length === 0) continue;
    files.push({
      path: f.path,
      encoding: ENCODING,
      data: (await gzip(f.data)).toString('base64'),
      ...(f.from > 0 ? { from: f.from } : {}),
    });
  }
  return {
    agentSessionId,
    files,
    bytes,
    capturedAt: new Date().toISOString(),
    mark,
    ...(appended ? { appended: true } : {}),
  };
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
  // A file's pieces, in order: one without `from` starts it anew, the others continue it.
  const contents = new Map<string, { target: string; parts: Buffer[]; size: number }>();
  for (const piece of snapshot.files) {
    const target = normalize(join(base, piece.path));
    const rel = relative(base, target);
    if (
      isAbsolute(piece.path) ||
      rel.startsWith('..') ||
      rel.split(sep).includes('..') ||
      piece.encoding !== ENCODING
    )
      throw new Error(`refusing to restore conversation file ${JSON.stringify(piece.path)}`);
    const data = await gunzip(Buffer.from(piece.data, 'base64'));
    const from = piece.from ?? 0;
    const file = contents.get(piece.path);
    if (from === 0 || !file) {
      if (from !== 0) throw gap(piece.path, from, 0);
      contents.set(piece.path, { target, parts: [data], size: data.length });
    } else if (from === file.size) {
      file.parts.push(data);
      file.size += data.length;
    } else throw gap(piece.path, from, file.size);
  }
  for (const [path, { target, parts, size }] of contents) {
    const existing = await stat(target).catch(() => null);
    if (existing && existing.size >= size) {
      kept.push(path);
      continue;
    }
    await mkdir(join(target, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${target}.aegis-restore-${process.pid}`;
    await writeFile(tmp, Buffer.concat(parts), { mode: 0o600 });
    await rename(tmp, target);
    written.push(path);
  }
  return { written, kept };
}

function gap(path: string, from: number, held: number): Error {
  return new Error(
    `conversation file ${JSON.stringify(path)}: a piece starts at byte ${from} but ${held} bytes came before it; the snapshot is incomplete`,
  );
}
