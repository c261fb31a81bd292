import {
  type AuditRecord as AuditRecordType,
  type AuditStore,
  type AuditQuery as AuditStoreQuery,
  verifyAuditChain,
} from '@aegis/core';
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { z } from 'zod';
import { intQuery } from '../api-schemas.js';
import { type AppEnv, newRouter } from '../app-env.js';
import { errorResponses } from '../http-errors.js';

export const AuditRecord = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actorId: z
      .string()
      .nullable()
      .describe('API key id, `local`, `bootstrap` or `policy`; null when unauthenticated'),
    actorRole: z.string().nullable(),
    action: z
      .string()
      .describe(
        'The operationId, `permission.policy`, or `sandbox.egress` (a connection attempt out of a sandboxed session: outcome `allowed`, `refused` or `failed`)',
      ),
    target: z.string().nullable().describe('Session id, key id or path'),
    outcome: z.string().describe('HTTP status, or the option kind a policy chose'),
    details: z.record(z.string(), z.unknown()).nullable(),
    prevHash: z.string().nullable(),
    hash: z.string().describe('SHA-256 (hex) over the canonical JSON of the other fields and prevHash'),
  })
  .meta({ id: 'AuditRecord' });

export const AuditVerification = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().describe('Records verified before the first broken one (or all)'),
    firstBroken: z
      .object({
        id: z
          .number()
          .int()
          .describe(
            'The first record that does not hold; for id_gap and head_mismatch, the first missing id',
          ),
        reason: z
          .enum(['hash_mismatch', 'prev_hash_mismatch', 'id_gap', 'head_mismatch'])
          .describe(
            'hash_mismatch: the record was edited; prev_hash_mismatch: it does not link to the one before; id_gap: records were deleted; head_mismatch: the chain does not end at the anchor written with the last append (the newest records were deleted)',
          ),
      })
      .nullable(),
  })
  .meta({ id: 'AuditVerification' });

/** The most bytes (records as JSON) one page of the audit log holds, whatever `limit` says. */
export const MAX_PAGE_BYTES = 1024 * 1024;
/** Records read from the store at a time while a page fills. */
const READ_CHUNK = 100;

export const AuditQuery = z.object({
  actor: z.string().max(200).optional().describe('Actor id (API key id, `local`, ...)'),
  action: z.string().max(200).optional().describe('operationId, e.g. createSession'),
  sessionId: z.string().max(100).optional().describe('Records whose target is this session'),
  from: z.iso.datetime().optional().describe('Inclusive lower bound on `at`'),
  to: z.iso.datetime().optional().describe('Inclusive upper bound on `at`'),
  after: intQuery(0).optional().describe('Only records with id > after (paging cursor)'),
  limit: intQuery(1, 10_000).optional().describe('Default 1000'),
  maxBytes: intQuery(4096, MAX_PAGE_BYTES)
    .optional()
    .describe(
      `Stop the page once its records take this many bytes as JSON (default and most ${MAX_PAGE_BYTES}); a page always holds at least one record. \`nextAfter\` (and the X-Next-After header) says where the next page starts.`,
    ),
  format: z.enum(['json', 'csv', 'ndjson']).optional().describe('Default json'),
  verify: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: also walk the whole chain and report the first broken record'),
});

export const AuditPage = z
  .object({
    records: z.array(AuditRecord),
    nextAfter: z
      .number()
      .int()
      .nullable()
      .describe(
        'Pass as ?after= for the next page; null at the end. A page ends at `limit` records or at `maxBytes`, whichever comes first.',
      ),
    verification: AuditVerification.optional(),
  })
  .meta({ id: 'AuditPage' });

const queryAuditRoute = createRoute({
  method: 'get',
  path: '/v1/audit',
  operationId: 'queryAudit',
  summary: 'Query, export or verify the audit log',
  description:
    'Records oldest first, filtered by actor, action, session and time. A page holds at most `limit` records and about `maxBytes` bytes (1 MiB by default); `nextAfter` (also the `X-Next-After` header, for every format) says where the next page starts. `format=csv` or `format=ndjson` exports the same page as text. `verify=true` walks the whole hash chain (ignoring filters), checks that ids have no gaps and that the chain ends at its stored head, and reports the first record that does not hold.',
  tags: ['Audit'],
  request: { query: AuditQuery },
  responses: {
    200: {
      description: 'A page of records',
      content: {
        'application/json': { schema: AuditPage },
        'text/csv': { schema: z.string() },
        'application/x-ndjson': { schema: z.string() },
      },
    },
    ...errorResponses(400, 401, 403, 429),
  },
});

const CSV_COLUMNS = [
  'id',
  'at',
  'actorId',
  'actorRole',
  'action',
  'target',
  'outcome',
  'details',
  'prevHash',
  'hash',
] as const;

/** One CSV cell: quoted when needed, and defused against spreadsheet formula injection. */
export function csvCell(value: unknown): string {
  let s =
    value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(records: AuditRecordType[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) lines.push(CSV_COLUMNS.map((k) => csvCell(r[k])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * Reads one page: records oldest first until `limit` of them or until they take `maxBytes` as
 * JSON (at least one record, so paging always moves on). Reads the store in small chunks, so a log
 * of large records (written before request digests were bounded) is never loaded whole. The same
 * query always cuts at the same record, whatever the format asked for.
 */
export async function readPage(
  audit: AuditStore,
  q: AuditStoreQuery & { maxBytes: number },
): Promise<{ records: AuditRecordType[]; nextAfter: number | null }> {
  const { maxBytes, ...query } = q;
  const records: AuditRecordType[] = [];
  let bytes = 0;
  let afterId = query.afterId;
  for (;;) {
    const want = Math.min(READ_CHUNK, query.limit - records.length);
    const chunk = await audit.list({ ...query, afterId, limit: want });
    for (const r of chunk) {
      const size = Buffer.byteLength(JSON.stringify(r));
      if (records.length > 0 && bytes + size > maxBytes) return { records, nextAfter: records.at(-1)!.id };
      records.push(r);
      bytes += size;
    }
    if (records.length === query.limit) return { records, nextAfter: records.at(-1)?.id ?? null };
    if (chunk.length < want) return { records, nextAfter: null };
    afterId = chunk.at(-1)!.id;
  }
}

export function auditRoutes({ audit }: { audit: AuditStore }) {
  const app = newRouter();
  // Answers JSON, CSV or NDJSON, which the typed handler signature cannot express.
  app.openapi(queryAuditRoute, (async (c: Context<AppEnv>) => {
    const q = AuditQuery.parse(c.req.query());
    const { records, nextAfter } = await readPage(audit, {
      actorId: q.actor,
      action: q.action,
      target: q.sessionId,
      from: q.from,
      to: q.to,
      afterId: q.after,
      limit: q.limit ?? 1000,
      maxBytes: q.maxBytes ?? MAX_PAGE_BYTES,
    });
    if (nextAfter !== null) c.header('X-Next-After', String(nextAfter));
    if (q.format === 'csv') {
      return c.body(toCsv(records), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="aegis-audit.csv"',
      });
    }
    if (q.format === 'ndjson') {
      return c.body(records.map((r) => `${JSON.stringify(r)}\n`).join(''), 200, {
        'content-type': 'application/x-ndjson; charset=utf-8',
      });
    }
    const verification = q.verify === 'true' ? await verifyAuditChain(audit) : undefined;
    return c.json({ records, nextAfter, ...(verification ? { verification } : {}) }, 200);
  }) as never);
  return app;
}
