import type { AegisClient, AuditRecord } from '@aegis/client';
import { defineCommand } from 'citty';
import { type ConnectArgs, connect, connectionArgs } from '../connect.js';
import { consola } from '../log.js';
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

const BREAK_REASONS: Record<string, string> = {
  hash_mismatch: 'its content was changed',
  prev_hash_mismatch: 'it does not link to the record before it',
  id_gap: 'this record is missing (deleted)',
  head_mismatch: 'the log does not end where the last append left it (newest records deleted)',
};

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
        const why = b ? BREAK_REASONS[b.reason] : 'unknown';
        consola.error(
          `Audit chain broken at record ${b?.id} (${b?.reason}: ${why}); ${verification?.checked} records before it verify.`,
        );
      }
      if (!verification?.ok) process.exitCode = 2;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  },
});

/** The most records the server returns per request. */
const MAX_PAGE = 10_000;

/** `text` as a whole number from 1 to `max`, or a usage error naming the flag. */
function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(n) || n < 1 || n > max)
    throw new Error(`--${flag} must be a whole number from 1 to ${max} (got "${text}").`);
  return n;
}

const exportCmd = defineCommand({
  meta: { name: 'export', description: 'Print the whole audit log (or the filtered part) as CSV or NDJSON' },
  args: {
    ...filters,
    format: { type: 'string', description: 'csv or ndjson', default: 'ndjson' },
    'page-size': {
      type: 'string',
      description: `Records fetched per request (1-${MAX_PAGE}); every page is printed`,
      default: String(MAX_PAGE),
    },
  },
  async run({ args }) {
    try {
      if (args.format !== 'csv' && args.format !== 'ndjson')
        throw new Error(`--format must be csv or ndjson (got "${args.format}").`);
      const pageSize = wholeNumber('page-size', args['page-size'], MAX_PAGE);
      await exportAll(client(args), args.format, query(args), pageSize);
    } catch (err) {
      process.exitCode = reportError(err);
    }
  },
});

/**
 * Pages through the log with `after` until the server reports no next page. Each page's ids come
 * from the JSON answer; CSV pages are then fetched for exactly those records (ids only grow, so
 * `after` + the page's length names the same records), with the header printed once.
 */
async function exportAll(
  aegis: AegisClient,
  format: 'csv' | 'ndjson',
  filter: ReturnType<typeof query>,
  pageSize: number,
): Promise<void> {
  let after: number | undefined;
  for (let first = true; ; first = false) {
    const page = await aegis.queryAudit({ ...filter, limit: pageSize, ...(after ? { after } : {}) });
    if (format === 'ndjson') process.stdout.write(page.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    else if (page.records.length > 0 || first) {
      const csv = await aegis.exportAudit('csv', {
        ...filter,
        ...(after ? { after } : {}),
        limit: Math.max(page.records.length, 1),
      });
      const lines = csv.split('\n');
      const header = lines[0] ?? '';
      // An empty log still gets its header; a later page drops the header it repeats.
      const body = page.records.length > 0 ? csv.slice(header.length + 1) : '';
      process.stdout.write(first ? `${header}\n${body}` : body);
    }
    if (page.nextAfter === null) return;
    after = page.nextAfter;
  }
}

const list = defineCommand({
  meta: { name: 'list', description: 'Show audit records, oldest first' },
  args: {
    ...filters,
    json: { type: 'boolean', description: 'Print JSON' },
    limit: { type: 'string', description: `At most this many (1-${MAX_PAGE}, default 50)`, default: '50' },
  },
  async run({ args }) {
    try {
      const limit = wholeNumber('limit', args.limit, MAX_PAGE);
      const page = await client(args).queryAudit({ ...query(args), limit });
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
