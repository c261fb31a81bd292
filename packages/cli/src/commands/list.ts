import type { Session } from '@aegis/client';
import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { guarded, printJson } from '../output.js';
import { sessionRows } from '../session-view.js';

export const listCommand = defineCommand({
  meta: {
    name: 'list',
    description: 'List the most recently created sessions (up to --limit), newest activity first',
  },
  args: {
    status: {
      type: 'string',
      description: 'Only these states, comma-separated (e.g. idle,permission_prompt)',
    },
    limit: { type: 'string', description: 'At most this many (1-100, default 50)', default: '50' },
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const limit = Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new Error(`--limit must be a whole number from 1 to 100 (got "${args.limit}").`);
    const { client } = connect(args);
    const page = await client.listSessions({ limit, ...(args.status ? { status: args.status } : {}) });
    // The API pages by creation; within the page, the session active most recently comes first.
    page.sessions.sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
    if (args.json) printJson(page);
    else if (page.sessions.length === 0)
      consola.info(
        args.status ? `No sessions in ${args.status}.` : 'No sessions yet; start one with `ag create`.',
      );
    else {
      process.stdout.write(sessionRows(page.sessions as Session[]));
      if (page.total > page.sessions.length) consola.info(`${page.sessions.length} of ${page.total} shown.`);
    }
    return 0;
  }),
});
