import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { consola } from '../log.js';
import { guarded, printJson, stdoutIsTTY, warnLine } from '../output.js';
import { findTemplate, TEMPLATES, type TemplateValues, templateNames } from '../templates.js';

const DEFAULT_VALUES: TemplateValues = { port: 9100 };

export const initCommand = defineCommand({
  meta: { name: 'init', description: 'Write ./.aegis/config.yaml from a template' },
  args: {
    defaults: { type: 'boolean', description: 'Do not ask anything: the default template and values' },
    force: {
      type: 'boolean',
      description:
        'Overwrite an existing config file, with a new bootstrap admin token (required also on loopback)',
    },
    'list-templates': { type: 'boolean', description: 'List the built-in templates' },
    'from-template': {
      type: 'string',
      description:
        'Write this config template (see --list-templates); a session template name (code-reviewer, ci-runner, …) becomes the default of `ag run` / `ag create`',
    },
    model: { type: 'string', description: 'Default model of the sessions `ag run` / `ag create` start here' },
    name: { type: 'string', description: 'Default name of the sessions `ag run` / `ag create` start here' },
    json: { type: 'boolean', description: 'Print JSON' },
  },
  run: guarded(async ({ args }) => {
    if (args['list-templates']) {
      const list = TEMPLATES.map(({ name, description }) => ({ name, description }));
      if (args.json) printJson({ templates: list });
      else for (const t of list) process.stdout.write(`${t.name.padEnd(9)} ${t.description}\n`);
      return 0;
    }
    const path = join(process.cwd(), '.aegis', 'config.yaml');
    const shown = relative(process.cwd(), path);
    if (existsSync(path) && !args.force)
      throw new Error(`${shown} already exists; pass --force to overwrite it (or edit it by hand).`);

    const requested = args['from-template'];
    // A name that is no config template names a session template (the documents' \`ag init
    // --from-template code-reviewer\`): the default config, with sessions started from it.
    const sessionTemplate = requested && !findTemplate(requested) ? requested : undefined;
    if (sessionTemplate !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(sessionTemplate))
      throw new Error(
        `Unknown template "${requested}": config templates are ${templateNames().join(', ')}; a session template is named by its id or name (letters, digits, . _ -).`,
      );
    let template = findTemplate(requested && !sessionTemplate ? requested : 'default');
    if (!template) throw new Error(`Unknown template; available: ${templateNames().join(', ')}.`);
    const sessionDefaults = {
      ...(args.model ? { model: args.model } : {}),
      ...(args.name ? { name: args.name } : {}),
      ...(sessionTemplate ? { template: sessionTemplate } : {}),
    };
    // As the documents have it, \`--force\` also makes a token on loopback ("regenerates auth keys").
    const token = args.force ? randomBytes(32).toString('hex') : undefined;
    let values: TemplateValues = {
      ...DEFAULT_VALUES,
      allowedWorkDirs: [process.cwd()],
      ...(token ? { token } : {}),
      sessionDefaults,
    };
    const interactive = !args.defaults && process.stdin.isTTY === true && stdoutIsTTY();
    if (interactive) {
      const answers = await ask(requested ? template : undefined);
      if (!answers) {
        process.stderr.write('Cancelled: nothing was written.\n');
        return 130;
      }
      ({ template } = answers);
      values = { ...values, ...answers.values };
    } else if (!args.defaults && !requested && !args.json)
      consola.info(
        `No terminal to ask questions on: using the defaults (template "default", port 9100, sessions may work in ${process.cwd()}).`,
      );

    const secret = template.secret || token !== undefined;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, template.render(values), { mode: secret ? 0o600 : 0o644 });
    if (secret) chmodSync(path, 0o600);
    if (args.json)
      printJson({
        path,
        template: template.name,
        tokenCreated: token !== undefined,
        ...(Object.keys(sessionDefaults).length > 0 ? { sessionDefaults } : {}),
      });
    else {
      consola.success(`Wrote ${shown} (template "${template.name}").`);
      if (secret) warnLine(`${shown} holds a bootstrap admin token: keep it out of version control.`);
      if (token)
        consola.info(
          `A new bootstrap admin token is in ${shown} (server.authToken); \`ag\` commands here send it. Restart a running server for it to take effect; elsewhere, \`export AEGIS_AUTH_TOKEN=<the token>\`.`,
        );
      if (sessionTemplate)
        consola.info(
          `Sessions started here with \`ag run\` / \`ag create\` use the session template "${sessionTemplate}" (the server's built-ins: code-reviewer, ci-runner, pr-reviewer, docs-writer).`,
        );
      consola.info('Next: `ag doctor` to check the setup, then `ag serve`.');
    }
    return 0;
  }),
});

/** Ctrl-C at a question: the whole `ag init` is cancelled. */
const CANCEL = { cancel: 'symbol' } as const;

/** Interactive questions (a terminal is attached); null when one is cancelled (Ctrl-C). */
async function ask(
  chosen: ReturnType<typeof findTemplate>,
): Promise<{ template: NonNullable<ReturnType<typeof findTemplate>>; values: TemplateValues } | null> {
  const name = chosen
    ? chosen.name
    : await consola.prompt('Which template?', {
        type: 'select',
        options: TEMPLATES.map((t) => ({ value: t.name, label: t.name, hint: t.description })),
        initial: 'default',
        ...CANCEL,
      });
  if (typeof name === 'symbol') return null;
  const port = await consola.prompt('Port for the server?', {
    type: 'text',
    default: String(DEFAULT_VALUES.port),
    placeholder: String(DEFAULT_VALUES.port),
    ...CANCEL,
  });
  if (typeof port === 'symbol') return null;
  const n = Number(port);
  const valid = Number.isInteger(n) && n > 0 && n < 65536;
  if (!valid) warnLine(`"${port}" is not a port number; using ${DEFAULT_VALUES.port}.`);
  const here = process.cwd();
  const folders = await consola.prompt('Folders sessions may work in? (comma-separated)', {
    type: 'text',
    default: here,
    placeholder: here,
    ...CANCEL,
  });
  if (typeof folders === 'symbol') return null;
  const allowedWorkDirs = [
    ...new Set(
      String(folders || here)
        .split(',')
        .map((f) => f.trim())
        .filter(Boolean)
        .map((f) => resolve(here, f)),
    ),
  ];
  for (const dir of allowedWorkDirs)
    if (!existsSync(dir))
      warnLine(`${dir} does not exist: it allows nothing until it does (and the server restarts).`);
  return {
    template: findTemplate(String(name)) ?? findTemplate('default')!,
    values: { port: valid ? n : DEFAULT_VALUES.port, allowedWorkDirs },
  };
}
