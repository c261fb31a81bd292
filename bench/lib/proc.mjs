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

/** CPU seconds used so far by the processes below `pid` (with their exited, waited-for children), and how many. */
function treeCpuSeconds(pid) {
  const stats = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      stats.set(Number(entry), stat.slice(stat.lastIndexOf(')') + 2).split(' '));
    } catch {
      // exited meanwhile
    }
  }
  const inTree = (p) => {
    for (let q = p; q > 1; q = Number(stats.get(q)?.[1] ?? 0)) if (q === pid) return true;
    return false;
  };
  // The root itself is left out: a server run with --cpu-prof samples (uses CPU) even when idle.
  const below = [...stats.keys()].filter((p) => p !== pid && inTree(p));
  let ticks = 0;
  for (const p of below) {
    const f = stats.get(p);
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return { seconds: ticks / 100, processes: below.length };
}

/**
 * Waits until at least `processes` processes run below `pid` and they have been (nearly) idle for
 * `quietMs` (e.g. a server whose warm pool has started and initialized its agents). Other
 * processes on the host do not count, so this works on a loaded machine. Bounded by `timeoutMs`.
 */
export async function waitTreeQuiet(pid, { processes = 1, quietMs = 1000, timeoutMs = 120_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let mark = { at: Date.now(), ...treeCpuSeconds(pid) };
  while (Date.now() < deadline) {
    await sleep(250);
    const now = treeCpuSeconds(pid);
    // Less than 3 % of one core over the window counts as quiet (idle timers tick now and then).
    if (now.processes < processes || now.seconds - mark.seconds > (0.03 * quietMs) / 1000)
      mark = { at: Date.now(), ...now };
    else if (Date.now() - mark.at >= quietMs) return;
  }
  throw new Error(`process tree of ${pid} did not settle within ${timeoutMs} ms`);
}
