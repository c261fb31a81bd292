import { defineCommand } from 'citty';
import { setupConfigPath, writeChannelConfig } from '../channel-config-file.js';
import { consola } from '../log.js';
import { ConfigError, guarded, paint, printJson } from '../output.js';

/*
 * `ag setup telegram|slack|email`: guided (questions at a terminal) or `--non-interactive` with
 * flags. Each checks the settings against the real service before writing them to the config file.
 */

const CANCEL = { cancel: 'symbol' } as const;
const common = {
  config: {
    type: 'string',
    description: 'Config file to write (default: the one `ag serve` reads, else ./.aegis/config.yaml)',
  },
  'non-interactive': {
    type: 'boolean',
    description: 'Ask nothing: every setting comes from flags (for scripts)',
  },
  json: { type: 'boolean', description: 'Print the result as JSON' },
} as const;

/** A flag's value, or the answer to a question when interactive; `--non-interactive` without it is an error. */
async function value(
  given: string | undefined,
  interactive: boolean,
  question: string,
  flag: string,
  fallback?: string,
) {
  if (given !== undefined && given !== '') return given;
  if (!interactive) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`--${flag} is required with --non-interactive.`);
  }
  const answer = await consola.prompt(question, {
    type: 'text',
    ...(fallback !== undefined ? { default: fallback, placeholder: fallback } : {}),
    ...CANCEL,
  });
  if (typeof answer === 'symbol') throw new ConfigError('Setup cancelled; nothing was written.');
  const text = String(answer).trim() || fallback;
  if (!text) throw new ConfigError(`${question} needs an answer.`);
  return text;
}

const isInteractive = (args: { 'non-interactive'?: boolean }) =>
  !args['non-interactive'] && process.stdin.isTTY === true;
const say = (line: string) => process.stderr.write(`${line}\n`);
const numbers = (list: string) =>
  list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const n = Number(x);
      if (!Number.isInteger(n)) throw new ConfigError(`"${x}" is not a Telegram user id (a whole number).`);
      return n;
    });

const ROLES = ['viewer', 'operator', 'admin'] as const;
type ChatRole = (typeof ROLES)[number];
const ROLE_HELP =
  'viewer (reads only), operator (drives the sessions it started from the chat; the default) or admin (drives every session)';

/** A `--role` value (or answer) checked: the role chat users act with. */
function chatRole(given: string): ChatRole {
  const role = given.trim().toLowerCase();
  if ((ROLES as readonly string[]).includes(role)) return role as ChatRole;
  throw new ConfigError(`"${given}" is not a role chat users can act with; choose ${ROLE_HELP} (--role).`);
}

/** The role from `--role` (checked before anything is asked or sent), else asked, else operator. */
async function roleFor(given: string | undefined, interactive: boolean, channel: string): Promise<ChatRole> {
  if (given !== undefined && given !== '') return chatRole(given);
  return chatRole(
    await value(undefined, interactive, `Role ${channel} users act with: ${ROLE_HELP}?`, 'role', 'operator'),
  );
}

function finish(args: { json?: boolean }, path: string, name: string, detail: Record<string, unknown>) {
  if (args.json) printJson({ ok: true, channel: name, configFile: path, ...detail });
  else {
    say(paint.green(`✓ The ${name} channel is set up in ${path}.`));
    say(`  Restart the server (ag serve) and check it with: ag doctor, or POST /v1/channels/${name}/test`);
  }
  return 0;
}

const telegram = defineCommand({
  meta: {
    name: 'telegram',
    description: 'Set up the Telegram channel: bot token, forum group, allowed users',
  },
  args: {
    ...common,
    token: { type: 'string', description: 'The bot token from @BotFather' },
    group: {
      type: 'string',
      description:
        'The forum group chat id (e.g. -1001234567890); default: found from a message sent to the bot',
    },
    'allowed-users': { type: 'string', description: 'Telegram user ids that may act, comma-separated' },
    role: {
      type: 'string',
      description: 'The role chat users act with: viewer, operator (default) or admin',
    },
    'api-root': {
      type: 'string',
      description: 'Bot API root (default the official one; for local Bot API servers and tests)',
    },
    'wait-seconds': {
      type: 'string',
      description: 'How long to wait for a message in the group when finding it (default 60)',
    },
  },
  run: guarded(async ({ args }) => {
    const { checkTelegramGroup, checkTelegramToken, findTelegramGroup } = await import(
      '@aegis/server/preflight'
    );
    const interactive = isInteractive(args);
    // A wrong --role is said before the token is tried.
    if (args.role) chatRole(args.role);
    const apiRoot = args['api-root'] || undefined;
    const token = await value(args.token, interactive, 'Bot token (from @BotFather)?', 'token');
    const bot = await checkTelegramToken(token, apiRoot);
    say(`✓ Token works: @${bot.username}`);
    let group = args.group ? Number(args.group) : undefined;
    let sender: number | null = null;
    if (args.group && !Number.isInteger(group))
      throw new ConfigError(`--group ${args.group} is not a chat id (a negative number).`);
    if (group === undefined) {
      say(
        `Add @${bot.username} to your forum group as an administrator, then send /start@${bot.username} in the group.`,
      );
      say('Waiting for that message…');
      const found = await findTelegramGroup(token, apiRoot, Number(args['wait-seconds'] ?? 60));
      if (!found) {
        throw new ConfigError(
          `No group message reached @${bot.username}: send /start@${bot.username} in the group (or pass --group <chat id>) and run this again.`,
        );
      }
      say(`✓ Found the group "${found.title}" (${found.id})`);
      group = found.id;
      sender = found.fromUserId;
    }
    const { title } = await checkTelegramGroup(token, group as number, apiRoot);
    say(`✓ "${title}" has topics on, and @${bot.username} may manage them`);
    const suggested = sender !== null ? String(sender) : undefined;
    const allowed = numbers(
      await value(
        args['allowed-users'],
        interactive,
        'Telegram user ids that may act (comma-separated)?',
        'allowed-users',
        suggested,
      ),
    );
    if (allowed.length === 0)
      throw new ConfigError('Give at least one allowed Telegram user id (--allowed-users).');
    const role = await roleFor(args.role, interactive, 'Telegram');
    const path = setupConfigPath(args.config);
    writeChannelConfig(path, 'telegram', {
      token,
      group,
      allowedUserIds: allowed,
      role,
      ...(apiRoot ? { apiRoot } : {}),
    });
    return finish(args, path, 'telegram', { bot: `@${bot.username}`, group, allowedUserIds: allowed, role });
  }),
});

const slack = defineCommand({
  meta: { name: 'slack', description: 'Set up the Slack channel: bot token, channel, signing secret' },
  args: {
    ...common,
    token: { type: 'string', description: 'The bot token (xoxb-…) with chat:write' },
    channel: { type: 'string', description: 'The channel id to post to (e.g. C0123456789)' },
    'signing-secret': {
      type: 'string',
      description: "The app's signing secret (for the Approve/Reject buttons)",
    },
    'api-url': { type: 'string', description: "Web API URL (default Slack's; for tests)" },
    role: {
      type: 'string',
      description: 'The role users pressing the buttons act with: viewer, operator (default) or admin',
    },
  },
  run: guarded(async ({ args }) => {
    const { checkSlack } = await import('@aegis/server/preflight');
    const interactive = isInteractive(args);
    if (args.role) chatRole(args.role);
    const token = await value(args.token, interactive, 'Bot token (xoxb-…)?', 'token');
    const apiUrl = args['api-url'] || undefined;
    const who = await checkSlack({ token, apiUrl });
    say(`✓ Token works: ${who}`);
    const channel = await value(args.channel, interactive, 'Channel id (C…)?', 'channel');
    const signingSecret = await value(
      args['signing-secret'],
      interactive,
      'Signing secret (Basic Information → App Credentials)?',
      'signing-secret',
      '',
    );
    const role = await roleFor(args.role, interactive, 'Slack');
    const path = setupConfigPath(args.config);
    writeChannelConfig(path, 'slack', {
      token,
      channel,
      role,
      ...(signingSecret ? { signingSecret } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    });
    if (!signingSecret)
      say(paint.yellow('! Without a signing secret the buttons cannot be answered from Slack.'));
    return finish(args, path, 'slack', { channel, role });
  }),
});

const email = defineCommand({
  meta: { name: 'email', description: 'Set up the email channel: SMTP server, sender, recipients' },
  args: {
    ...common,
    'smtp-host': { type: 'string', description: 'SMTP server host' },
    'smtp-port': { type: 'string', description: 'SMTP port (default 587)' },
    'smtp-user': { type: 'string', description: 'SMTP user (when the server needs a login)' },
    'smtp-pass': { type: 'string', description: 'SMTP password' },
    secure: { type: 'boolean', description: 'TLS from the start (port 465)' },
    from: { type: 'string', description: 'Sender address' },
    to: { type: 'string', description: 'Recipients, comma-separated' },
    'permission-wait-minutes': {
      type: 'string',
      description: 'Mail a permission that waits this long (default 10; 0 = never)',
    },
    completions: { type: 'boolean', description: 'Also mail completed turns' },
    'digest-minutes': {
      type: 'string',
      description: 'Send one digest every N minutes instead of each mail (default 0 = off)',
    },
  },
  run: guarded(async ({ args }) => {
    const { checkSmtp } = await import('@aegis/server/preflight');
    const interactive = isInteractive(args);
    const host = await value(args['smtp-host'], interactive, 'SMTP host?', 'smtp-host');
    const port = Number(await value(args['smtp-port'], interactive, 'SMTP port?', 'smtp-port', '587'));
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new ConfigError(`--smtp-port ${port} is not a port.`);
    const smtp = {
      host,
      port,
      secure: args.secure === true,
      ...(args['smtp-user'] ? { user: args['smtp-user'], pass: args['smtp-pass'] ?? '' } : {}),
    };
    say(`✓ ${await checkSmtp(smtp)}`);
    const from = await value(args.from, interactive, 'Sender address?', 'from');
    const to = (await value(args.to, interactive, 'Recipients (comma-separated)?', 'to'))
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    const wait = Number(args['permission-wait-minutes'] ?? 10);
    const digest = Number(args['digest-minutes'] ?? 0);
    if (!(wait >= 0) || !(digest >= 0))
      throw new ConfigError('--permission-wait-minutes and --digest-minutes are numbers ≥ 0.');
    const path = setupConfigPath(args.config);
    writeChannelConfig(path, 'email', {
      smtp,
      from,
      to,
      permissionWaitMinutes: wait,
      completions: args.completions === true,
      digestMinutes: digest,
    });
    return finish(args, path, 'email', { to });
  }),
});

export const setupCommand = defineCommand({
  meta: { name: 'setup', description: 'Set up a notification channel: ag setup telegram | slack | email' },
  subCommands: { telegram, slack, email },
});
