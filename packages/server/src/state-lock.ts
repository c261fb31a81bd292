import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AegisError } from '@aegis/core';

/** The lock file in a state dir: one server (one writer of its SQLite file) at a time. */
export const STATE_LOCK_FILE = 'server.lock';

/** What the lock file holds. */
export interface StateLockInfo {
  pid: number;
  hostname: string;
  /** Where the server answers; null while it is still starting (before it listens). */
  url: string | null;
  startedAt: string;
  /** The process's start time in clock ticks (Linux `/proc/<pid>/stat`), to tell a reused pid apart. */
  procStart: string | null;
  /** Random, to tell this holder's file from a later one. */
  token: string;
}

/**
 * The lock as found on disk:
 * - `free`: no lock file;
 * - `live`: its server is running (the pid is alive on this host);
 * - `stale`: its server is gone (dead pid, a reused pid, or an unreadable file older than a few seconds);
 * - `foreign`: held by a process on another host, whose pid cannot be checked from here.
 */
export type StateLockStatus =
  | { state: 'free'; path: string }
  | { state: 'live' | 'foreign'; path: string; info: StateLockInfo | null }
  | { state: 'stale'; path: string; info: StateLockInfo | null; why: string };

/** An unreadable lock file younger than this may be one a starting server is writing right now. */
const FRESH_MS = 5_000;

function procStart(pid: number | 'self'): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parse(text: string): StateLockInfo | null {
  try {
    const v = JSON.parse(text) as Partial<StateLockInfo>;
    return typeof v.pid === 'number' && typeof v.token === 'string' ? (v as StateLockInfo) : null;
  } catch {
    return null;
  }
}

/** Reads the lock of `stateDir` and decides whether its holder still runs. Never changes anything. */
export function readStateLock(stateDir: string): StateLockStatus {
  const path = join(stateDir, STATE_LOCK_FILE);
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'free', path };
    throw err;
  }
  const info = parse(text);
  if (!info) {
    return Date.now() - mtimeMs < FRESH_MS
      ? { state: 'live', path, info: null }
      : { state: 'stale', path, info: null, why: 'the lock file is unreadable' };
  }
  if (info.hostname !== hostname()) return { state: 'foreign', path, info };
  if (!pidAlive(info.pid)) return { state: 'stale', path, info, why: `pid ${info.pid} is not running` };
  const now = info.procStart ? procStart(info.pid) : null;
  if (now && now !== info.procStart)
    return { state: 'stale', path, info, why: `pid ${info.pid} now belongs to another process` };
  return { state: 'live', path, info };
}

/** One line naming the holder: "pid 123 at http://127.0.0.1:9100, started 2026-…". */
export function describeHolder(info: StateLockInfo | null): string {
  if (!info) return 'a server that is starting';
  const where = info.url ? ` at ${info.url}` : ' (still starting, not listening yet)';
  const host = info.hostname !== hostname() ? ` on host ${info.hostname}` : '';
  return `pid ${info.pid}${host}${where}, started ${info.startedAt}`;
}

/** The refusal a second server gets: who holds the state dir and the two ways out. */
export function stateDirBusy(stateDir: string, status: StateLockStatus): AegisError {
  const info = status.state === 'free' ? null : status.info;
  const useIt = info?.url
    ? `use the running server (\`--url ${info.url}\`; \`ag run\` finds it by itself)`
    : 'use the running server (`--url <its url>`)';
  const foreign = status.state === 'foreign' ? ` If that host is gone for good, delete ${status.path}.` : '';
  return new AegisError(
    'CONFLICT',
    `State dir ${stateDir} is in use by another Aegis server (${describeHolder(info)}). Two servers on one state dir would overwrite each other's sessions, so this one does not start. Either ${useIt}, or start this one with another state dir (AEGIS_STATE_DIR=/other/dir or server.stateDir).${foreign}`,
    {
      details: {
        stateDir,
        lockFile: status.path,
        pid: info?.pid ?? null,
        url: info?.url ?? null,
      },
    },
  );
}

export interface StateLock {
  readonly path: string;
  /** The stale lock this one replaced, if any (the caller says so in its log). */
  readonly tookOver: { info: StateLockInfo | null; why: string } | null;
  /** Records where the server answers, once it listens. */
  setUrl(url: string): void;
  /** Removes the lock file if it is still this holder's. Idempotent. */
  release(): void;
}

/** Locks this process holds; one `exit` listener releases them all (not on SIGKILL). */
const heldLocks = new Set<() => void>();
let exitHooked = false;
function releaseAll() {
  for (const release of [...heldLocks]) release();
}

function createExclusive(path: string, info: StateLockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Takes the state dir's lock (O_EXCL create) or throws a CONFLICT naming the server that holds it.
 * A stale lock (its pid is gone) is taken over; a takeover guard file keeps two starting servers
 * from both replacing the same stale lock. The lock is also removed if the process exits without
 * calling `release()` (not on SIGKILL: that leaves a stale lock, taken over by the next start).
 */
export function acquireStateLock(stateDir: string): StateLock {
  const path = join(stateDir, STATE_LOCK_FILE);
  const info: StateLockInfo = {
    pid: process.pid,
    hostname: hostname(),
    url: null,
    startedAt: new Date().toISOString(),
    procStart: procStart('self'),
    token: randomUUID(),
  };
  let tookOver: StateLock['tookOver'] = null;
  if (!createExclusive(path, info)) {
    const found = readStateLock(stateDir);
    if (found.state !== 'stale') {
      if (found.state === 'free' && createExclusive(path, info)) {
        // The holder released it between our two looks.
      } else throw stateDirBusy(stateDir, found.state === 'free' ? readStateLock(stateDir) : found);
    } else {
      tookOver = { info: found.info, why: found.why };
      takeOver(stateDir, path, found, info);
    }
  }
  const ours = () => parse(safeRead(path) ?? '')?.token === info.token;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldLocks.delete(release);
    try {
      if (ours()) unlinkSync(path);
    } catch {
      // already gone
    }
  };
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', releaseAll);
  }
  heldLocks.add(release);
  return {
    path,
    tookOver,
    setUrl(url) {
      if (released || !ours()) return;
      info.url = url;
      const tmp = `${path}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    },
    release,
  };
}

function safeRead(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function takeOver(
  stateDir: string,
  path: string,
  stale: Extract<StateLockStatus, { state: 'stale' }>,
  info: StateLockInfo,
) {
  const guard = `${path}.takeover`;
  const guardInfo = { ...info, url: null };
  if (!createExclusive(guard, guardInfo)) {
    // A guard left by a server that died mid-takeover is old; one being used now is not.
    const age = Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? 0);
    if (age < FRESH_MS) throw stateDirBusy(stateDir, { state: 'live', path, info: null });
    unlinkSync(guard);
    if (!createExclusive(guard, guardInfo)) throw stateDirBusy(stateDir, { state: 'live', path, info: null });
  }
  try {
    // Under the guard, the stale file is still the one we judged (nobody replaced it meanwhile).
    const now = readStateLock(stateDir);
    const same = now.state === 'stale' && now.info?.token === stale.info?.token;
    if (same) unlinkSync(path);
    if (!createExclusive(path, info)) throw stateDirBusy(stateDir, readStateLock(stateDir));
  } finally {
    unlinkSync(guard);
  }
}
