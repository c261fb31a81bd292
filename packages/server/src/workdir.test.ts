import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowedRoots, checkWorkDir, isInside, workDirRoots } from './workdir.js';

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-workdir-')));
const inside = join(tmp, 'inside');
mkdirSync(inside);
writeFileSync(join(inside, 'file.txt'), 'x');

const denied = (workDir: string, roots = [inside]) => {
  try {
    checkWorkDir(workDir, roots);
  } catch (err) {
    return err as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error(`${workDir} was allowed`);
};

describe('allowed directories', () => {
  it("default to $HOME and the server's cwd, leaving out the system temp dir", () => {
    const roots = allowedRoots(undefined);
    const home = realpathSync(homedir());
    const cwd = realpathSync(process.cwd());
    const sysTmp = realpathSync(tmpdir());
    for (const r of [home, cwd]) {
      if (r !== '/' && !r.startsWith(sysTmp)) expect(roots).toContain(r);
    }
    expect(roots.some((r) => r === sysTmp || r.startsWith(`${sysTmp}/`))).toBe(false);
    expect(roots).not.toContain('/');
  });

  it('a configured temp dir is allowed; a configured dir that does not exist allows nothing', () => {
    expect(allowedRoots([tmp, join(tmp, 'nope')])).toEqual([tmp]);
  });
});

describe('checkWorkDir', () => {
  it('says why a folder under the system temp directory is refused by default, and how to allow it', () => {
    const err = denied(inside, allowedRoots(undefined));
    expect(err.code).toBe('WORKDIR_DENIED');
    expect(err.message).toContain(`Folders under the system temp directory (${realpathSync(tmpdir())})`);
    expect(err.message).toMatch(/any user of this machine can create or replace files there/);
    expect(err.message).toMatch(/list the folder in allowedWorkDirs/);
  });

  it('does not talk about temp folders for a folder elsewhere', () => {
    expect(denied('/', [inside]).message).not.toContain('temp directory');
  });

  it('resolves an allowed directory', () => {
    expect(checkWorkDir(`${inside}/./`, [inside])).toBe(inside);
  });

  it.each([
    ['does not exist', join(inside, 'missing'), /does not exist; create the directory first/],
    ['is not a directory', join(inside, 'file.txt'), /is not a directory/],
    ['is relative', 'inside', /must be an absolute path/],
    ['escapes with ..', join(inside, '..'), /is outside the allowed directories/],
  ])('a workDir that %s is denied with a message naming the allowed directories', (_label, dir, reason) => {
    const err = denied(dir);
    expect(err.code).toBe('WORKDIR_DENIED');
    expect(err.message).toMatch(reason);
    expect(err.message).toContain(inside);
    expect(err.message).toContain('allowedWorkDirs');
    expect(err.details.allowedWorkDirs).toEqual([inside]);
  });

  it('a symlink inside pointing outside is denied at its real path', () => {
    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(inside, 'link'));
    const err = denied(join(inside, 'link'));
    expect(err.message).toContain(`workDir ${outside} is outside the allowed directories (${inside})`);
  });
});

describe('the state directory', () => {
  const state = join(tmp, 'state');
  mkdirSync(join(state, 'sub'), { recursive: true });

  it.each([state, join(state, 'sub'), `${state}/sub/..`])(
    'is never a workDir, even inside an allowed root: %s',
    (dir) => {
      const e = (() => {
        try {
          checkWorkDir(dir, workDirRoots([tmp], state));
        } catch (err) {
          return err as { code: string; message: string };
        }
        throw new Error(`${dir} was allowed`);
      })();
      expect(e.code).toBe('WORKDIR_DENIED');
      expect(e.message).toContain("server's state directory");
    },
  );

  it('leaves its siblings allowed', () => {
    expect(checkWorkDir(inside, workDirRoots([tmp], state))).toBe(inside);
  });

  // Issue 22 #7: an acceptEdits session in $HOME could write $HOME/.aegis/… without being asked.
  it('refuses a workDir that contains it (as $HOME contains ~/.aegis), saying what to do', () => {
    let e: { code: string; message: string } | undefined;
    try {
      checkWorkDir(tmp, workDirRoots([tmp], state));
    } catch (err) {
      e = err as { code: string; message: string };
    }
    expect(e?.code).toBe('WORKDIR_DENIED');
    expect(e?.message).toContain(`workDir ${tmp} contains the server's state directory (${state})`);
    expect(e?.message).toContain('Work in a project folder below it');
  });
});

describe('isInside', () => {
  it.each([
    ['/a/..foo', '/a', true],
    ['/a/..', '/a', false],
    ['/a/b/../../c', '/a', false],
    ['/a', '/a', true],
    ['/ab', '/a', false],
  ])('%s inside %s: %s', (child, root, expected) => {
    expect(isInside(child, root)).toBe(expected);
  });

  it('accepts a real folder whose name starts with ..', () => {
    const dotted = join(inside, '..cache');
    mkdirSync(dotted, { recursive: true });
    expect(checkWorkDir(dotted, [inside])).toBe(dotted);
  });
});
