import type { ApiKey } from '@aegis/client';
import { defineCommand } from 'citty';
import { type ConnectArgs, connect, connectionArgs } from '../connect.js';
import { consola } from '../log.js';
import { plain, reportError, warnLine } from '../output.js';

const common = {
  ...connectionArgs,
  json: { type: 'boolean', description: 'Print JSON' },
} as const;

const client = (args: ConnectArgs) => connect(args).client;

/** Runs `fn`, printing its result as JSON or with `human`, and exits 1 on an API error. */
async function act<T>(json: boolean | undefined, fn: () => Promise<T>, human: (v: T) => void) {
  try {
    const value = await fn();
    if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human(value);
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** Parses `30d`, `12h`, `90m` or plain seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/.exec(text.trim());
  if (!m) throw new Error(`Cannot read duration "${text}"; use e.g. 90m, 12h or 30d.`);
  return Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
}

const printSecret = ({ key, secret, notice }: { key: ApiKey; secret: string; notice?: string | null }) => {
  consola.success(`Key ${key.id} (${plain(key.name)}, ${key.role})`);
  process.stdout.write(`${secret}\n`);
  if (notice) warnLine(notice);
  else
    consola.info('This secret is shown once. Use it as AEGIS_AUTH_TOKEN or Authorization: Bearer <secret>.');
};

const create = defineCommand({
  meta: { name: 'create', description: 'Create an API key (the secret is printed once)' },
  args: {
    ...common,
    name: { type: 'string', description: 'What the key is for', required: true },
    role: {
      type: 'string',
      description:
        'admin, operator or viewer (default: admin for the first key, which ends keyless local access; operator after)',
    },
    expires: { type: 'string', description: 'Lifetime, e.g. 30d or 12h (default: never)' },
  },
  run: ({ args }) =>
    act(
      args.json,
      () =>
        client(args).createApiKey({
          name: args.name,
          ...(args.role ? { role: args.role as ApiKey['role'] } : {}),
          ...(args.expires ? { expiresInSeconds: parseDuration(args.expires) } : {}),
        }),
      printSecret,
    ),
});

const list = defineCommand({
  meta: { name: 'list', description: 'List API keys (never their secrets)' },
  args: common,
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).listApiKeys(),
      ({ keys }) => {
        for (const k of keys) {
          const until = k.expiresAt ? ` until ${k.expiresAt}` : '';
          process.stdout.write(
            `${k.id}  ${k.role.padEnd(8)} ${k.status.padEnd(7)} ${plain(k.name)}${until}\n`,
          );
        }
        if (keys.length === 0)
          consola.info('No keys; create one with `ag keys create --name NAME --role admin`.');
      },
    ),
});

const revoke = defineCommand({
  meta: { name: 'revoke', description: 'Revoke an API key at once' },
  args: { ...common, id: { type: 'positional', description: 'Key id', required: true } },
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).revokeApiKey(args.id),
      (k) => consola.success(`Revoked ${k.id} (${k.name})`),
    ),
});

const rotate = defineCommand({
  meta: { name: 'rotate', description: 'Give a key a new secret; the old one works for a grace period' },
  args: {
    ...common,
    id: { type: 'positional', description: 'Key id', required: true },
    grace: {
      type: 'string',
      description: 'How long the old secret keeps working (default 1h)',
      default: '1h',
    },
  },
  run: ({ args }) =>
    act(
      args.json,
      () => client(args).rotateApiKey(args.id, { gracePeriodSeconds: parseDuration(args.grace) }),
      printSecret,
    ),
});

export const keysCommand = defineCommand({
  meta: { name: 'keys', description: 'Manage API keys (admin)' },
  subCommands: { create, list, revoke, rotate },
});
