import { assertSessionEnv } from '../agent-env-rules.js';
import { AegisError } from '../errors.js';
import type { Actor, CreateSessionInput, SessionSpecInput } from '../session-input.js';
import type { TemplateStore } from './resource-store.js';
import type { Template, TemplateInput } from './schemas.js';

export type { SessionSpecInput } from '../session-input.js';

const BUILT_IN_AT = '2025-01-01T00:00:00.000Z';

// Declared before BUILT_IN_TEMPLATES, which calls placeholders() while the module loads.
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*(?:\|([^}]*))?\}\}/g;

const builtIn = (t: Omit<TemplateInput, 'name'> & { name: string }): Template => ({
  id: t.name,
  name: t.name,
  description: t.description ?? null,
  prompt: t.prompt ?? null,
  permissionMode: t.permissionMode ?? null,
  model: t.model ?? null,
  agent: t.agent ?? null,
  env: t.env ?? null,
  sandbox: t.sandbox ?? null,
  budget: t.budget ?? null,
  variables: placeholders(t.prompt ?? ''),
  builtIn: true,
  ownerId: null,
  createdAt: BUILT_IN_AT,
  updatedAt: BUILT_IN_AT,
});

/** The four templates every server has. Their id is their name; they cannot be edited or deleted. */
export const BUILT_IN_TEMPLATES: readonly Template[] = Object.freeze([
  builtIn({
    name: 'code-reviewer',
    description: 'Reviews the uncommitted changes (or the last commit) without modifying files.',
    permissionMode: 'plan',
    prompt:
      'Review the uncommitted changes in this repository (`git diff HEAD`; if there are none, review the last commit). ' +
      'Focus on {{focus|correctness, security, error handling and missing tests}}. ' +
      'Report findings ordered by severity, each with file:line, the problem and a concrete fix. Do not modify files.',
  }),
  builtIn({
    name: 'ci-runner',
    description: 'Runs the test suite, fixes failures with the smallest change and reruns until green.',
    permissionMode: 'acceptEdits',
    prompt:
      "Run the project's checks ({{command|find the test command in package.json, the Makefile or the CI config}}). " +
      'If anything fails, find the root cause, fix it with the smallest correct change and rerun until everything passes. ' +
      'Finish with a summary: what failed, why, and what you changed.',
  }),
  builtIn({
    name: 'pr-reviewer',
    description: 'Reviews a pull request by number or URL and ends with a verdict.',
    permissionMode: 'plan',
    prompt:
      'Review pull request {{pr}}: read its description and diff (for example `gh pr view {{pr}}` and `gh pr diff {{pr}}`). ' +
      'Check correctness, tests, security and whether the change does what the description says. ' +
      'Finish with a verdict (approve or request changes) and a list of review comments, each with file:line.',
  }),
  builtIn({
    name: 'docs-writer',
    description: 'Writes or updates documentation from the code, with runnable examples.',
    permissionMode: 'acceptEdits',
    prompt:
      'Write or update the documentation for {{topic|the public API of this project}}. ' +
      'Read the code first and keep every statement accurate to it; include short runnable examples. ' +
      'Edit the README or docs files in place and finish with a summary of what you changed.',
  }),
]);

/** Names of the `{{name}}` / `{{name|default}}` placeholders in a prompt, in order, without repeats. */
export function placeholders(prompt: string): string[] {
  return [...new Set([...prompt.matchAll(PLACEHOLDER)].map((m) => m[1] as string))];
}

/**
 * Fills `{{name}}` from `variables`; `{{name|default}}` falls back to its default. A placeholder with
 * neither is a `VALIDATION_FAILED` error naming every missing variable.
 *
 * @example
 * renderPrompt('Review {{pr}} for {{focus|bugs}}', { pr: '#12' }) // 'Review #12 for bugs'
 */
export function renderPrompt(
  prompt: string,
  variables: Record<string, string> = {},
  template = 'the template',
): string {
  const missing = new Set<string>();
  const out = prompt.replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
    const value = Object.hasOwn(variables, name) ? variables[name] : fallback;
    if (value === undefined) missing.add(name);
    return value ?? whole;
  });
  if (missing.size > 0) {
    const names = [...missing];
    throw AegisError.validation(
      `Template ${template} needs ${names.length === 1 ? 'variable' : 'variables'} ${names.join(', ')}; pass ${names.length === 1 ? 'it' : 'them'} in \`variables\`, e.g. {"variables":{"${names[0]}":"..."}}.`,
      { template, missing: names },
    );
  }
  return out;
}

const notFound = (id: string) =>
  new AegisError('NOT_FOUND', `Template ${id} does not exist. List the templates.`, {
    details: { templateId: id, next: 'listTemplates' },
  });

const readOnly = (t: Template, verb: string) =>
  new AegisError(
    'FORBIDDEN',
    `Template ${t.name} is built in and cannot be ${verb}; create your own under a different name instead.`,
    { details: { templateId: t.id, next: 'createTemplate' } },
  );

/** Templates: built-ins plus stored ones, each stored template visible to its owner (and admins). */
export function createTemplateService(deps: { store: TemplateStore; now: () => Date }) {
  const visible = (t: Template, actor: Actor) => actor.admin === true || t.ownerId === actor.id;
  const builtInById = new Map(BUILT_IN_TEMPLATES.map((t) => [t.id, t]));

  function fromInput(
    input: TemplateInput,
    base: { id: string; ownerId: string | null; createdAt: string },
  ): Template {
    return {
      ...base,
      name: input.name,
      description: input.description ?? null,
      prompt: input.prompt ?? null,
      permissionMode: input.permissionMode ?? null,
      model: input.model ?? null,
      agent: input.agent ?? null,
      env: input.env ?? null,
      sandbox: input.sandbox ?? null,
      budget: input.budget ?? null,
      variables: placeholders(input.prompt ?? ''),
      builtIn: false,
      updatedAt: deps.now().toISOString(),
    };
  }

  function assertNameFree(name: string) {
    if (builtInById.has(name)) {
      throw new AegisError('CONFLICT', `"${name}" is the name of a built-in template; pick another name.`, {
        details: { name },
      });
    }
  }

  async function get(id: string, actor: Actor): Promise<Template> {
    const b = builtInById.get(id);
    if (b) return structuredClone(b);
    const t = await deps.store.get(id);
    if (!t || !visible(t, actor)) throw notFound(id);
    return t;
  }

  async function list(actor: Actor): Promise<Template[]> {
    const own = await deps.store.list({ ownerId: actor.admin ? undefined : actor.id });
    return [...BUILT_IN_TEMPLATES.map((t) => structuredClone(t)), ...own];
  }

  return {
    list,
    get,
    async create(input: TemplateInput, actor: Actor): Promise<Template> {
      assertNameFree(input.name);
      const at = deps.now().toISOString();
      return deps.store.put(
        fromInput(input, { id: globalThis.crypto.randomUUID(), ownerId: actor.id, createdAt: at }),
      );
    },
    /** Replaces every editable field (PUT semantics). */
    async update(id: string, input: TemplateInput, actor: Actor): Promise<Template> {
      const current = await get(id, actor);
      if (current.builtIn) throw readOnly(current, 'edited');
      assertNameFree(input.name);
      return deps.store.put(fromInput(input, current));
    },
    async delete(id: string, actor: Actor): Promise<Template> {
      const current = await get(id, actor);
      if (current.builtIn) throw readOnly(current, 'deleted');
      await deps.store.delete(id);
      return current;
    },
    /**
     * Turns a spec that may name a template into plain session input: the template's fields, then
     * the explicit ones over them; the template prompt is rendered with `variables`.
     */
    async resolve(spec: SessionSpecInput, actor: Actor): Promise<CreateSessionInput> {
      const { templateId, variables, ...explicit } = spec;
      if (templateId === undefined) {
        if (variables && Object.keys(variables).length > 0) {
          throw AegisError.validation('`variables` only apply together with `templateId`.');
        }
        return explicit;
      }
      const template = await findTemplate(templateId, actor);
      // A template stored before its env was checked at create is refused here, not dropped.
      assertSessionEnv(template.env, `Template ${template.name} cannot be used (edit its env)`);
      const base: CreateSessionInput = {
        workDir: explicit.workDir,
        name: template.name,
        templateId: template.id,
      };
      if (template.budget) base.budget = template.budget;
      if (template.prompt !== null && explicit.prompt === undefined) {
        base.prompt = renderPrompt(template.prompt, variables, template.name);
      }
      if (template.permissionMode !== null) base.permissionMode = template.permissionMode;
      if (template.model !== null) base.model = template.model;
      if (template.agent !== null) base.agent = template.agent;
      if (template.env !== null) base.env = template.env;
      if (template.sandbox) base.sandbox = template.sandbox;
      const defined = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined));
      const merged: CreateSessionInput = { ...base, ...defined };
      if (template.env !== null && explicit.env) merged.env = { ...template.env, ...explicit.env };
      return merged;
    },
  };

  async function findTemplate(idOrName: string, actor: Actor): Promise<Template> {
    try {
      return await get(idOrName, actor);
    } catch (err) {
      if (!(err instanceof AegisError) || err.code !== 'NOT_FOUND') throw err;
      const byName = (await list(actor)).filter((t) => t.name === idOrName);
      const mine = byName.find((t) => t.ownerId === actor.id) ?? byName[0];
      if (mine) return mine;
      throw notFound(idOrName);
    }
  }
}

export type TemplateService = ReturnType<typeof createTemplateService>;
