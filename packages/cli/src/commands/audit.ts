import type { AuditRecord } from '@aegis/client';
import { defineCommand } from 'citty';
import { consola } from 'consola';
import { type ConnectArgs, connect, connectionArgs } from '../connect.js';
import { reportError } from '../output.js';

const filters = {
  ...connectionArgs,
  actor: { type: 'string', description: 'Only this actor (key id, local, bootstrap, policy)' },
  action: { type: 'string', description: 'Only this operation, e.g. createSession' },
  session: { type: 'string', description: 'Only records about this session' },
  from: { type: 'string', description: 'ISO time lower bound' },
  to: { type: 'string', description: 'ISO time upper bound' },
} as const;

const client = (args: ConnectArgs) => connect(args).client;

const query = (args: { actor?: string; action?: string; session?: string; from?: string; to?: string }) => ({
  actor: args.actor,
  action: args.action,
  sessionId: args.session,
  from: args.from,
  to: args.to,
});

const line = (r: AuditRecord) =>
  `${r.id}\t${r.at}\t${r.actorId ?? '-'}(${r.actorRole ?? '-'})\t${r.action}\t${r.target ?? '-'}\t${r.outcome}\n`;

const verify = defineCommand({
  meta: { name: 'verify', description: 'Walk the hash chain and report the first broken record' },
  args: { ...connectionArgs, json: { type: 'boolean', description: 'Print JSON' } },
  async run({ args }) {
    try {
      const { verification } = await client(args).queryAudit({ verify: 'true', limit: 1 });
      if (args.json) process.stdout.write(`${JSON.stringify(verification, null, 2)}\n`);
      else if (verification?.ok) consola.success(`Audit chain intact (${verification.checked} records).`);
      else {
        const b = verification?.firstBroken;
        consola.error(
          `Audit chain broken at record ${b?.id} (${b?.reason}); ${verification?.checked} records before it verify.`,
        );
      }
      if (!verification?.ok) process.exitCode = 2;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  },
});

const exportCmd = defineCommand({
  meta: { name: 'export', description: 'Print the audit log as CSV or NDJSON' },
  args: { ...filters, format: { type: 'string', description: 'csv or ndjson', default: 'ndjson' } },
  async run({ args }) {
    try {
      const format = args.format === 'csv' ? 'csv' : 'ndjson';
      process.stdout.write(await client(args).exportAudit(format, { ...query(args), limit: 10_000 }));
    } catch (err) {
      process.exitCode = reportError(err);
    }
  },
});

const list = defineCommand({
  meta: { name: 'list', description: 'Show audit records, oldest first' },
  args: {
    ...filters,
    json: { type: 'boolean', description: 'Print JSON' },
    limit: { type: 'string', default: '50' },
  },
  async run({ args }) {
    try {
      const page = await client(args).queryAudit({ ...query(args), limit: Number(args.limit) });
      if (args.json) process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      else for (const r of page.records) process.stdout.write(line(r));
    } catch (err) {
      process.exitCode = reportError(err);
    }
  },
});

const SUBCOMMANDS = new Set(['list', 'verify', 'export']);
const VALUE_FLAGS = new Set(Object.keys(list.args ?? {}).map((k) => `--${k}`));

/** The subcommand named in `rawArgs`, skipping flags and the values of string flags. */
function subcommandIn(rawArgs: string[]): string | undefined {
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i]!;
    if (a.startsWith('-')) {
      if (!a.includes('=') && VALUE_FLAGS.has(a) && a !== '--json') i++;
      continue;
    }
    return SUBCOMMANDS.has(a) ? a : undefined;
  }
  return undefined;
}

export const auditCommand = defineCommand({
  meta: { name: 'audit', description: 'Show (list), export (CSV/NDJSON) or verify the audit log (admin)' },
  // The list flags, so that bare `ag audit --port 9100` parses (it lists the latest records).
  args: list.args,
  subCommands: { list, verify, export: exportCmd },
  async run(ctx) {
    // citty has already run a named subcommand; without one, list.
    if (!subcommandIn(ctx.rawArgs)) await list.run?.({ ...ctx, cmd: list } as never);
  },
});
