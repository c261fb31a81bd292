import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { guarded, printJson } from '../output.js';

export const killCommand = defineCommand({
  meta: { name: 'kill', description: 'End a session and stop its agent' },
  args: {
    id: { type: 'positional', description: 'Session id', required: true },
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const { client } = connect(args);
    const session = await client.killSession(args.id);
    if (args.json) printJson(session);
    else consola.success(`Session ${session.id} is ${session.status}.`);
    return 0;
  }),
});
