// Process and statistics helpers: RSS and CPU of another process from /proc, percentiles, waits.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resident set size of `pid` in MiB (Linux /proc). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU seconds (user + system) used by `pid` so far. */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const median = (values) => percentile(values, 50);

export const round = (n, digits = 2) => (n === null || n === undefined ? null : Number(n.toFixed(digits)));

export function loadAverage() {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Spawns a node script and resolves with the first stdout line matching `ready` (a RegExp), plus the
 * child. The child is killed if it does not get ready within `timeoutMs`.
 */
export function spawnReady(args, { ready, env, timeoutMs = 60_000, cwd } = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} not ready in ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = ready.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, stderr: () => stderr });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited ${code} before it was ready: ${stderr}`));
    });
  });
}

/** Stops a child started by {@link spawnReady} and waits for its exit. */
export function stopChild(child, signal = 'SIGTERM', graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

/** RSS in MiB of `pid` and every process below it (agents and their children), and how many. */
export function treeRssMiB(pid) {
  const parent = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (p) => {
    for (let q = p; q > 1; q = parent.get(q) ?? 0) if (q === pid) return true;
    return false;
  };
  let mib = 0;
  let processes = 0;
  for (const p of parent.keys()) {
    if (!inTree(p)) continue;
    try {
      mib += rssMiB(p);
      processes += 1;
    } catch {
      // exited meanwhile
    }
  }
  return { mib, processes };
}
