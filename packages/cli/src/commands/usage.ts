import type { UsageGroup } from '@aegis/client';
import { defineCommand } from 'citty';
import { connect, connectionArgs, jsonArg } from '../connect.js';
import { guarded, printJson } from '../output.js';

const DIMENSIONS = ['day', 'key', 'template', 'model', 'session', 'workDir'] as const;

/** One group as a table row: its grouping values, then turns, tokens, cost. */
function row(g: UsageGroup, groupBy: string[]): string {
  const rec = g as Record<string, unknown>;
  const keys = groupBy.map((d) => String(rec[d] ?? '-'));
  return [...keys, String(g.turns), String(g.totalTokens), `$${g.costUsd.toFixed(4)}`].join('\t');
}

export const usageCommand = defineCommand({
  meta: {
    name: 'usage',
    description:
      'Tokens and cost from the usage ledger, grouped by day, key, template, model, session or workDir',
  },
  args: {
    'group-by': {
      type: 'string',
      description: `Comma-separated: ${DIMENSIONS.join(', ')} (default day)`,
      default: 'day',
    },
    from: { type: 'string', description: 'First UTC day, YYYY-MM-DD (default: 29 days before --to)' },
    to: { type: 'string', description: 'Last UTC day, YYYY-MM-DD (default: today)' },
    csv: { type: 'boolean', description: 'Print CSV (one row per group)' },
    ...jsonArg,
    ...connectionArgs,
  },
  run: guarded(async ({ args }) => {
    const { client } = connect(args);
    const query = { groupBy: args['group-by'], from: args.from, to: args.to };
    if (args.csv) {
      process.stdout.write(await client.exportUsage(query));
      return 0;
    }
    const report = await client.getUsage(query);
    if (args.json) {
      printJson(report);
      return 0;
    }
    const header = [...report.groupBy, 'turns', 'tokens', 'cost'].join('\t');
    const lines = report.groups.map((g) => row(g, report.groupBy));
    const total = [
      'total',
      ...report.groupBy.slice(1).map(() => ''),
      String(report.totals.turns),
      String(report.totals.totalTokens),
      `$${report.totals.costUsd.toFixed(4)}`,
    ].join('\t');
    process.stdout.write(`${[header, ...lines, total].join('\n')}\n`);
    return 0;
  }),
});
