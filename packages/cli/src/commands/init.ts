import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { defineCommand } from 'citty';
import { consola } from 'consola';
import { guarded, printJson, stdoutIsTTY, warnLine } from '../output.js';
import { findTemplate, TEMPLATES, type TemplateValues, templateNames } from '../templates.js';

const DEFAULT_VALUES: TemplateValues = { port: 9100 };

export const initCommand = defineCommand({
  meta: { name: 'init', description: 'Write ./.aegis/config.yaml from a template' },
  args: {
    defaults: { type: 'boolean', description: 'Do not ask anything: the default template and values' },
    force: { type: 'boolean', description: 'Overwrite an existing config file' },
    'list-templates': { type: 'boolean', description: 'List the built-in templates' },
    'from-template': { type: 'string', description: 'Write this template (see --list-templates)' },
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
    let template = requested ? findTemplate(requested) : findTemplate('default');
    if (!template)
      throw new Error(`Unknown template "${requested}"; available: ${templateNames().join(', ')}.`);
    let values = DEFAULT_VALUES;
    const interactive = !args.defaults && process.stdin.isTTY === true && stdoutIsTTY();
    if (interactive) ({ template, values } = await ask(requested ? template : undefined));
    else if (!args.defaults && !requested && !args.json)
      consola.info('No terminal to ask questions on: using the defaults (template "default", port 9100).');

    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, template.render(values), { mode: template.secret ? 0o600 : 0o644 });
    if (template.secret) chmodSync(path, 0o600);
    if (args.json) printJson({ path, template: template.name });
    else {
      consola.success(`Wrote ${shown} (template "${template.name}").`);
      if (template.secret)
        warnLine(`${shown} holds a bootstrap admin token: keep it out of version control.`);
      consola.info('Next: `ag doctor` to check the setup, then `ag serve`.');
    }
    return 0;
  }),
});

/** Interactive questions (a terminal is attached); Ctrl-C keeps the defaults of that question. */
async function ask(chosen: ReturnType<typeof findTemplate>) {
  const name = chosen
    ? chosen.name
    : await consola.prompt('Which template?', {
        type: 'select',
        options: TEMPLATES.map((t) => ({ value: t.name, label: t.name, hint: t.description })),
        initial: 'default',
        cancel: 'default',
      });
  const port = await consola.prompt('Port for the server?', {
    type: 'text',
    default: String(DEFAULT_VALUES.port),
    placeholder: String(DEFAULT_VALUES.port),
    cancel: 'default',
  });
  const n = Number(port);
  const valid = Number.isInteger(n) && n > 0 && n < 65536;
  if (!valid) warnLine(`"${port}" is not a port number; using ${DEFAULT_VALUES.port}.`);
  return {
    template: findTemplate(String(name)) ?? findTemplate('default')!,
    values: { port: valid ? n : DEFAULT_VALUES.port },
  };
}
