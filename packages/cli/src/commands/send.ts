import { readFileSync } from 'node:fs';
import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { guarded, printJson } from '../output.js';
import { showOutcome } from '../session-view.js';
import { outcomeExitCode, outcomeJson, waitForTurn } from '../wait.js';

export const sendCommand = defineCommand({
  meta: { name: 'send', description: 'Send a prompt to a session (queued if a turn is running)' },
  args: {
    id: { type: 'positional', description: 'Session id', required: true },
    text: {
      type: 'positional',
      description: 'The prompt; the rest of the line, or - to read stdin',
      required: true,
    },
    wait: {
      type: 'boolean',
      description: 'Wait until the turn finishes or needs an answer, and print the reply',
    },
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const words = (args._ as string[]).slice(1);
    const text = words.length === 1 && words[0] === '-' ? readFileSync(0, 'utf8').trimEnd() : words.join(' ');
    if (!text.trim()) throw new Error('Nothing to send: give the prompt text (or - to read it from stdin).');
    const { client } = connect(args);
    const before = args.wait ? (await client.getSession(args.id)).lastSeq : 0;
    const sent = await client.sendMessage(args.id, { text });
    if (!args.wait) {
      if (args.json) printJson(sent);
      else {
        const d = sent.promptDelivery;
        consola.success(
          d.queued
            ? `Queued for session ${args.id} (position ${d.position ?? '?'})`
            : `Sent to session ${args.id}`,
        );
      }
      return 0;
    }
    const outcome = await waitForTurn(client, args.id, text, {
      after: before,
      snapshotSeq: sent.session.lastSeq,
    });
    if (args.json) printJson({ ...sent, ...outcomeJson(outcome) });
    else showOutcome(outcome);
    return outcomeExitCode(outcome);
  }),
});
