import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ag } from './__fixtures__/ag.js';
import { closest } from './argv-check.js';

const home = realpathSync(mkdtempSync(join(tmpdir(), 'aegis-cli-argv-')));
// Nothing listens here: a command line that gets past the check fails with UNREACHABLE instead.
const env = { HOME: home, AEGIS_BASE_URL: 'http://127.0.0.1:9' };

describe('unknown commands and flags', () => {
  it.each([
    [
      ['create', '--promt', 'hi'],
      'Unknown option --promt for `ag create`; did you mean --prompt? See `ag create --help`.',
    ],
    [
      ['list', '--stauts', 'idle'],
      'Unknown option --stauts for `ag list`; did you mean --status? See `ag list --help`.',
    ],
    [['keys', 'create', '--nme', 'x'], 'Unknown option --nme for `ag keys create`; did you mean --name?'],
    [['logs', 'some-id', '-f', '--jsn'], 'Unknown option --jsn for `ag logs`; did you mean --json?'],
    [['create', '-p', 'hi', '-x'], 'Unknown option -x for `ag create`. See `ag create --help`.'],
    [['lsit'], 'Unknown command `ag lsit`; did you mean `ag list`? The commands: serve, run, init,'],
    [['keys', 'lst'], 'Unknown command `ag keys lst`; did you mean `ag keys list`?'],
    [['--port', '9200', 'serve'], 'Options go after the command they are for: `ag serve --port 9200`.'],
    [['--json', 'list'], 'Options go after the command they are for: `ag list --json`.'],
    [['keys', '--json', 'list'], 'Options go after the command they are for: `ag keys list --json`.'],
    [['--port', '9200'], 'Options go after the command they are for: `ag serve --port 9200`.'],
  ])('ag %j is refused with one line and a suggestion, doing nothing', async (args, message) => {
    const r = await ag(args, { env });
    expect(r.code).toBe(2);
    expect(r.err).toContain(`✖ ${message}`);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe(''); // no help dump, no request made
  });

  it('known flags, aliases, --no-… and value flags pass through to the command', async () => {
    const r = await ag(['list', '--status', 'idle', '--limit', '5', '--json'], { env });
    expect(r.err).toContain('No Aegis server answers at http://127.0.0.1:9');
    const create = await ag(['create', '--work-dir', home, '-p', '--not-a-flag', '--wait'], { env });
    expect(create.err).toContain('No Aegis server answers');
    const run = await ag(['run', 'hi', '--no-stream', '-y', '--cwd', home, '--url', 'http://127.0.0.1:9'], {
      env,
    });
    expect(run.err).not.toContain('Unknown option');
  });

  it('bare `ag` is documented in the help as running `ag serve`', async () => {
    const r = await ag(['--help'], { env });
    expect(r.code).toBe(0);
    expect(r.out).toContain('`ag` alone runs `ag serve`');
  });

  it('suggests only near names', () => {
    expect(closest('promt', ['prompt', 'name'])).toBe('prompt');
    expect(closest('zzz', ['prompt', 'name'])).toBeUndefined();
  });
});
