import { realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AegisError } from '@aegis/core';

/** Where sessions may work: `roots`, minus `excluded` subtrees (the server's state dir). */
export interface WorkDirRoots {
  roots: string[];
  excluded: string[];
}

/**
 * The directories sessions may work in (configured ones, or $HOME and the server's cwd), with the
 * server's own state directory (`aegis.db`, keys, audit log) always excluded: a session working
 * there could rewrite the audit chain or read key hashes, whatever `allowedWorkDirs` says.
 */
export function workDirRoots(configured: string[] | undefined, stateDir: string): WorkDirRoots {
  const state = safeRealpath(resolve(stateDir)) ?? resolve(stateDir);
  return { roots: allowedRoots(configured), excluded: [state] };
}

/** The directories sessions may work in: configured ones, or $HOME and the server's cwd. */
export function allowedRoots(configured: string[] | undefined): string[] {
  const roots = configured && configured.length > 0 ? configured : [homedir(), process.cwd()];
  const out: string[] = [];
  for (const r of roots) {
    try {
      out.push(realpathSync(resolve(r)));
    } catch {
      // A configured root that does not exist allows nothing.
    }
  }
  if (!configured || configured.length === 0) {
    const tmp = safeRealpath(tmpdir());
    return out.filter((r) => r !== '/' && !(tmp && isInside(r, tmp)));
  }
  return out;
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** Whether `child` is `root` or below it (a folder named `..foo` is below it; `..` is not). */
export function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Resolves `workDir` with realpath (so symlinks and `..` cannot escape) and checks it is an existing
 * directory inside one of `roots`.
 */
export function checkWorkDir(workDir: string, allowed: string[] | WorkDirRoots): string {
  const { roots, excluded } = Array.isArray(allowed) ? { roots: allowed, excluded: [] } : allowed;
  const where = `Sessions may work inside: ${roots.join(', ') || '(no directory is allowed)'}; add more with allowedWorkDirs in .aegis/config.yaml or AEGIS_ALLOWED_WORKDIRS.`;
  if (!isAbsolute(workDir)) {
    throw new AegisError('WORKDIR_DENIED', `workDir must be an absolute path; got "${workDir}". ${where}`, {
      details: { workDir, allowedWorkDirs: roots },
    });
  }
  let real: string;
  try {
    real = realpathSync(workDir);
  } catch {
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${workDir} does not exist; create the directory first. ${where}`,
      { details: { workDir, allowedWorkDirs: roots } },
    );
  }
  if (!statSync(real).isDirectory()) {
    throw new AegisError('WORKDIR_DENIED', `workDir ${workDir} is not a directory. ${where}`, {
      details: { workDir, allowedWorkDirs: roots },
    });
  }
  if (!roots.some((root) => isInside(real, root))) {
    const tmp = safeRealpath(tmpdir());
    const whyTemp =
      tmp && isInside(real, tmp)
        ? ` Folders under the system temp directory (${tmp}) are left out of the default allowed directories: any user of this machine can create or replace files there, e.g. a .claude/settings.json or a symlink the agent would follow; list the folder in allowedWorkDirs to work there anyway (\`ag run\` does this for the folder of the server it starts).`
        : '';
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${real} is outside the allowed directories (${roots.join(', ') || 'none'}); add it to allowedWorkDirs in .aegis/config.yaml or AEGIS_ALLOWED_WORKDIRS.${whyTemp}`,
      { details: { workDir: real, allowedWorkDirs: roots } },
    );
  }
  const state = excluded.find((x) => isInside(real, x));
  if (state) {
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${real} is inside the server's state directory (${state}), which holds its database, keys and audit log; sessions never work there. Choose a project directory instead.`,
      { details: { workDir: real, stateDir: state } },
    );
  }
  // The other way round: a workDir that holds the state dir (e.g. $HOME with ~/.aegis) lets an agent
  // in acceptEdits or bypass mode change the database, keys and audit log without asking.
  const holds = excluded.find((x) => isInside(x, real));
  if (holds) {
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${real} contains the server's state directory (${holds}), which holds its database, keys and audit log; an agent working there could change them without asking. Work in a project folder below it, or move the state directory out of it (AEGIS_STATE_DIR).`,
      { details: { workDir: real, stateDir: holds } },
    );
  }
  return real;
}
