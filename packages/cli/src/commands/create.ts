import { resolve } from 'node:path';
import type { PermissionMode } from '@aegis/client';
import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { guarded, printJson, sayReused } from '../output.js';
import { showOutcome } from '../session-view.js';
import { outcomeExitCode, outcomeJson, waitForTurn } from '../wait.js';

export const createCommand = defineCommand({
  meta: {
    name: 'create',
    description:
      'Start a session in a folder (an idle session already working there is reused, and it says so; --new for a fresh one)',
  },
  args: {
    brief: {
      type: 'positional',
      required: false,
      description: 'First prompt, as in `ag create "Fix the tests" --cwd ./repo` (the same as --prompt)',
    },
    cwd: {
      type: 'string',
      alias: ['work-dir', 'workDir'],
      description: 'Folder the agent works in (default: current directory)',
    },
    prompt: { type: 'string', alias: ['p'], description: 'First prompt' },
    mode: {
      type: 'string',
      description: 'Permission mode: default, acceptEdits, plan, bypassPermissions, …',
    },
    name: { type: 'string', description: 'Session name' },
    template: { type: 'string', description: 'Start from a template (id or name)' },
    model: { type: 'string', description: 'Model for the agent' },
    agent: { type: 'string', description: 'A configured agent (default: the server default)' },
    wait: { type: 'boolean', description: 'With a prompt: wait until the turn finishes or needs an answer' },
    new: {
      type: 'boolean',
      description: 'Always start a fresh session (by default an idle session in the folder is reused)',
    },
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    if (args.brief && args.prompt && args.brief !== args.prompt)
      throw new Error('Give the first prompt once: as the argument or with --prompt, not both.');
    const prompt = args.brief || args.prompt;
    const { client, config } = connect(args);
    // Defaults of this folder's config file (`ag init --model/--name/--from-template`).
    const model = args.model ?? config.client.model;
    const name = args.name ?? config.client.name;
    const template = args.template ?? config.client.template;
    const created = await client.createSession({
      workDir: resolve(args.cwd ?? process.cwd()),
      ...(prompt ? { prompt } : {}),
      ...(args.mode ? { permissionMode: args.mode as PermissionMode } : {}),
      ...(name ? { name } : {}),
      ...(template ? { templateId: template } : {}),
      ...(model ? { model } : {}),
      ...(args.agent ? { agent: args.agent } : {}),
      ...(args.new ? { reuse: false } : {}),
    });
    const s = created.session;
    // The snapshot is taken after a delivered prompt started its turn: that one is not an old turn.
    if (created.reused) sayReused(s, s.turns - (created.promptDelivery?.delivered ? 1 : 0));
    if (!args.wait || !prompt) {
      if (args.json) printJson(created);
      else {
        consola.success(
          `${created.reused ? 'Reusing' : 'Created'} session ${s.id} in ${s.workDir} (${s.status})`,
        );
        consola.info(`Follow it with \`ag logs ${s.id} -f\`.`);
      }
      return 0;
    }
    const outcome = await waitForTurn(client, s.id, prompt, {
      after: 0,
      snapshotSeq: created.reused ? s.lastSeq : 0,
    });
    if (args.json) printJson({ ...created, ...outcomeJson(outcome) });
    else {
      consola.success(`${created.reused ? 'Reusing' : 'Created'} session ${s.id} in ${s.workDir}`);
      showOutcome(outcome);
    }
    return outcomeExitCode(outcome);
  }),
});
