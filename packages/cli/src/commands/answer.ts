import type { PermissionAnswerRequest } from '@aegis/client';
import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { guarded, printJson } from '../output.js';

function answerCommand(verb: 'approve' | 'reject') {
  return defineCommand({
    meta: {
      name: verb,
      description:
        verb === 'approve'
          ? 'Allow the permission the session is waiting for'
          : 'Refuse the permission the session is waiting for',
    },
    args: {
      id: { type: 'positional', description: 'Session id', required: true },
      always: {
        type: 'boolean',
        description: `${verb === 'approve' ? 'Allow' : 'Refuse'} this kind of request from now on (if the agent offers it)`,
      },
      option: { type: 'string', description: 'Pick one of the offered option ids explicitly' },
      ...jsonArg,
      ...connectionArgs,
    },
    run: guarded(async ({ args }) => {
      const { client } = connect(args);
      const body: PermissionAnswerRequest = {
        ...(args.always ? { scope: 'always' } : {}),
        ...(args.option ? { optionId: args.option } : {}),
      };
      const answer =
        verb === 'approve'
          ? await client.approvePermission(args.id, body)
          : await client.rejectPermission(args.id, body);
      if (args.json) printJson(answer);
      else
        consola.success(
          `${verb === 'approve' ? 'Approved' : 'Rejected'} (${answer.optionKind}) for session ${args.id}`,
        );
      return 0;
    }),
  });
}

export const approveCommand = answerCommand('approve');
export const rejectCommand = answerCommand('reject');
