import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';
import type { SandboxLaunch, SandboxRuntime } from './types.js';

/** System directories the agent needs, read-only (those that exist here). */
const SYSTEM_READ_ONLY = [
  '/usr',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  // Only what programs need from /etc: not shadow files, keys or the server's own configuration.
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
  '/etc/ca-certificates.conf',
  '/etc/passwd',
  '/etc/group',
  '/etc/nsswitch.conf',
  '/etc/hosts',
  '/etc/host.conf',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/mime.types',
  '/etc/gitconfig',
];

/**
 * What to show read-only for an agent installed at `path`: the outermost `node_modules` above it
 * (an npm or pnpm install: the package and its dependencies), else the workspace it belongs to (a
 * source checkout: its packages link to each other and to the workspace's `node_modules`), else the
 * directory holding it.
 */
export function installRootOf(path: string): string {
  const parts = path.split(sep);
  const at = parts.indexOf('node_modules');
  if (at > 0) return parts.slice(0, at + 1).join(sep);
  for (let dir = dirname(path); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
  }
  return dirname(path);
}

/** Where a command lives on the host (a bare name is looked up on `PATH`), or null. */
function locate(command: string, pathVar: string | undefined): string | null {
  const candidates = isAbsolute(command)
    ? [command]
    : command.includes(sep)
      ? []
      : (pathVar ?? '').split(':').map((d) => join(d, command));
  for (const c of candidates) {
    if (existsSync(c)) {
      try {
        return realpathSync(c);
      } catch {
        return c;
      }
    }
  }
  return null;
}

const bwrapCheck = (bin: string) =>
  new Promise<string | null>((resolve) => {
    execFile(
      bin,
      [
        '--unshare-all',
        '--die-with-parent',
        '--ro-bind',
        '/',
        '/',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        'true',
      ],
      { timeout: 10_000 },
      (err, _stdout, stderr) => {
        if (!err) return resolve(null);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') {
          return resolve(
            'bubblewrap (bwrap) is not installed; install it (Debian/Ubuntu: apt-get install bubblewrap, Fedora: dnf install bubblewrap).',
          );
        }
        resolve(
          `bubblewrap cannot create a sandbox here (${String(stderr || err.message).trim()}); it needs user namespaces (sysctl kernel.unprivileged_userns_clone=1, or run the server as root) and, in a container, a seccomp profile that allows them.`,
        );
      },
    );
  });

/**
 * The Linux sandbox: bubblewrap. The agent sees an empty root with the system directories and the
 * agent's install read-only, its workDir and a private HOME read-write, a fresh /tmp, and new PID,
 * IPC, UTS, cgroup and network namespaces (only loopback, where the launcher forwards to the egress
 * proxy). Capabilities are dropped; the whole tree dies with the sandbox's parent.
 */
export function bubblewrapRuntime(bin = 'bwrap'): SandboxRuntime {
  let checked: Promise<string | null> | undefined;
  return {
    name: 'bubblewrap',
    check: () => (checked ??= bwrapCheck(bin)),
    wrap(launch: SandboxLaunch) {
      const { policy } = launch;
      const args = [
        '--die-with-parent',
        '--new-session',
        '--unshare-all',
        '--hostname',
        'aegis-sandbox',
        '--proc',
        '/proc',
        '--dev',
        '/dev',
        '--tmpfs',
        '/tmp',
      ];
      const readOnly = new Set<string>();
      for (const p of SYSTEM_READ_ONLY) if (existsSync(p)) readOnly.add(p);
      const nodeRoot = dirname(dirname(process.execPath));
      if (!nodeRoot.startsWith('/usr')) readOnly.add(nodeRoot);
      const agentPath = locate(launch.command, launch.env.PATH);
      if (agentPath && !agentPath.startsWith('/usr/')) readOnly.add(installRootOf(agentPath));
      for (const a of launch.args) {
        if (isAbsolute(a) && existsSync(a) && !a.startsWith('/usr/'))
          readOnly.add(installRootOf(realpathSync(a)));
      }
      readOnly.add(dirname(launch.launcher));
      for (const p of policy.readOnlyPaths) readOnly.add(p);
      for (const p of readOnly) args.push('--ro-bind-try', p, p);
      for (const p of [policy.home, policy.workDir, ...policy.writablePaths]) args.push('--bind', p, p);
      if (policy.egress) args.push('--bind', policy.egress.socketPath, policy.egress.socketPath);
      args.push('--chdir', policy.workDir, '--', process.execPath, launch.launcher);
      if (policy.egress)
        args.push('--port', String(policy.egress.port), '--socket', policy.egress.socketPath);
      args.push('--', launch.command, ...launch.args);
      return { command: bin, args };
    },
  };
}
