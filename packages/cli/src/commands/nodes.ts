import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { consola } from '../log.js';
import { nodeRows, nodesSummary } from '../node-view.js';
import { guarded, printJson } from '../output.js';

export const nodesCommand = defineCommand({
  meta: {
    name: 'nodes',
    description:
      'List the nodes of the cluster (Aegis servers sharing one PostgreSQL database): state, heartbeat and load',
  },
  args: {
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const { client } = connect(args);
    const nodes = await client.listNodes();
    if (args.json) printJson(nodes);
    else if (!nodes.clustered)
      consola.info(
        'This server is not part of a cluster: it keeps its sessions in its own database. Servers sharing one PostgreSQL database (AEGIS_SESSION_STORE=postgres) are nodes of a cluster; see docs/deployment.md, "Several nodes".',
      );
    else {
      process.stdout.write(nodeRows(nodes));
      consola.info(nodesSummary(nodes));
    }
    return 0;
  }),
});
