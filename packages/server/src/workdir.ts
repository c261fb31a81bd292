import { realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import { AegisError } from '@aegis/core';

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

function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves `workDir` with realpath (so symlinks and `..` cannot escape) and checks it is an existing
 * directory inside one of `roots`.
 */
export function checkWorkDir(workDir: string, roots: string[]): string {
  const allowed = `Sessions may work inside: ${roots.join(', ') || '(no directory is allowed)'}; add more with allowedWorkDirs in .aegis/config.yaml or AEGIS_ALLOWED_WORKDIRS.`;
  if (!isAbsolute(workDir)) {
    throw new AegisError('WORKDIR_DENIED', `workDir must be an absolute path; got "${workDir}". ${allowed}`, {
      details: { workDir, allowedWorkDirs: roots },
    });
  }
  let real: string;
  try {
    real = realpathSync(workDir);
  } catch {
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${workDir} does not exist; create the directory first. ${allowed}`,
      { details: { workDir, allowedWorkDirs: roots } },
    );
  }
  if (!statSync(real).isDirectory()) {
    throw new AegisError('WORKDIR_DENIED', `workDir ${workDir} is not a directory. ${allowed}`, {
      details: { workDir, allowedWorkDirs: roots },
    });
  }
  if (!roots.some((root) => isInside(real, root))) {
    throw new AegisError(
      'WORKDIR_DENIED',
      `workDir ${real} is outside the allowed directories (${roots.join(', ') || 'none'}); add it to allowedWorkDirs in .aegis/config.yaml or AEGIS_ALLOWED_WORKDIRS.`,
      { details: { workDir: real, allowedWorkDirs: roots } },
    );
  }
  return real;
}
