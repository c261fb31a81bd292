import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { loadAcpSdk } from './acp-sdk.js';

const inside = (root: string, target: string): boolean => {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Resolves the real path of `target`'s nearest existing ancestor, so symlinks cannot escape. */
async function realTarget(target: string): Promise<string> {
  let dir = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return resolve(await realpath(dir), ...rest);
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return target;
      rest.unshift(dir.slice(parent.length + 1));
      dir = parent;
    }
  }
}

/** Resolves an agent-supplied path, refusing anything outside the session's working folder. */
export async function resolveInWorkDir(workDir: string, path: string): Promise<string> {
  const root = await realpath(workDir).catch(() => resolve(workDir));
  const target = await realTarget(resolve(workDir, path));
  if (!inside(root, target)) {
    const { RequestError } = await loadAcpSdk();
    throw RequestError.invalidParams({ path }, `${path} is outside the session's working folder ${workDir}`);
  }
  return target;
}

/** `fs/read_text_file`: optional 1-based `line` and `limit` select a window of lines. */
export async function readTextFileIn(
  workDir: string,
  path: string,
  line?: number | null,
  limit?: number | null,
) {
  const target = await resolveInWorkDir(workDir, path);
  let content: string;
  try {
    content = await readFile(target, 'utf8');
  } catch {
    const { RequestError } = await loadAcpSdk();
    throw RequestError.resourceNotFound(path);
  }
  if (line == null && limit == null) return content;
  const lines = content.split('\n');
  const start = Math.max(0, (line ?? 1) - 1);
  return lines.slice(start, limit == null ? undefined : start + limit).join('\n');
}

export async function writeTextFileIn(workDir: string, path: string, content: string): Promise<void> {
  const target = await resolveInWorkDir(workDir, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}
