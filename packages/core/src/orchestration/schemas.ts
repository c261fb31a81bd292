import { z } from 'zod';
import { sessionEnvProblems } from '../agent-env-rules.js';
import { Budget } from '../budget.js';
import { PermissionMode, SandboxRequest } from '../schemas.js';

/**
 * Shapes of the orchestration resources (templates, memory entries, pipelines). Defined once here;
 * the server reuses them for its OpenAPI document.
 */

/** Template, stage and pipeline names: short, URL-safe, readable. */
export const ResourceName = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'use letters, digits, ".", "_" and "-", starting with a letter or digit',
  );

/** The variables a template prompt is rendered with: `{{name}}` → value. */
export const TemplateVariables = z
  .record(z.string().max(100), z.string().max(100_000))
  .describe('Values for the `{{name}}` placeholders of the template prompt');

/**
 * A session's own environment variables (request, template, pipeline stage): valid names only,
 * none that {@link sessionEnvProblems} refuses; each refusal is an issue naming the variable.
 */
export const SessionEnv = z
  .record(z.string().max(200), z.string().max(10_000))
  .superRefine((env, ctx) => {
    for (const p of sessionEnvProblems(env))
      ctx.addIssue({ code: 'custom', path: [p.name], message: p.message });
  })
  .describe(
    'Extra environment for the agent process. Names must match `^[A-Za-z_][A-Za-z0-9_]*$`, values may not contain NUL. Variables that change which binaries, libraries or configuration load, or where credentials are sent (PATH, LD_*, NODE_OPTIONS, PYTHONPATH, GIT_CONFIG_*, *_PROXY, CLAUDE_CONFIG_DIR, AEGIS_*, …; case-insensitive) are refused with 400',
  );

/** The editable fields of a template. */
export const TemplateInput = z
  .object({
    name: ResourceName,
    description: z.string().max(2000).optional(),
    prompt: z
      .string()
      .max(100_000)
      .optional()
      .describe(
        'First prompt; `{{name}}` placeholders are filled from `variables`, `{{name|default}}` has a fallback',
      ),
    permissionMode: PermissionMode.optional(),
    model: z.string().max(200).optional(),
    agent: z.string().max(100).optional(),
    env: SessionEnv.optional(),
    sandbox: SandboxRequest.optional().describe(
      'Sessions from this template run sandboxed (see the session `sandbox`)',
    ),
    budget: Budget.optional().describe(
      'Spending limits of sessions from this template (a create request may give its own)',
    ),
  })
  .meta({ id: 'TemplateInput' });
export type TemplateInput = z.infer<typeof TemplateInput>;

export const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    prompt: z.string().nullable(),
    permissionMode: z.union([PermissionMode, z.null()]),
    model: z.string().nullable(),
    agent: z.string().nullable(),
    env: z.record(z.string(), z.string()).nullable(),
    sandbox: z.union([SandboxRequest, z.null()]).default(null),
    budget: z.union([Budget, z.null()]).default(null),
    variables: z.array(z.string()).describe('Placeholder names found in the prompt'),
    builtIn: z.boolean().describe('Built-in templates cannot be edited or deleted'),
    ownerId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Template' });
export type Template = z.infer<typeof Template>;

/** Memory keys: 1–256 characters of `[A-Za-z0-9._:/-]`, so prefixes like `project/x:` work. */
export const MemoryKey = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9._:/-]+$/, 'use 1–256 characters of A-Z a-z 0-9 . _ : / -');

/** Largest memory value, measured as serialized JSON. */
export const MEMORY_VALUE_MAX_BYTES = 64 * 1024;

export const MemoryEntry = z
  .object({
    key: z.string(),
    value: z.unknown().describe('Any JSON value'),
    updatedAt: z.string(),
    expiresAt: z.string().nullable().describe('When the entry stops being returned; null = never'),
  })
  .meta({ id: 'MemoryEntry' });
export type MemoryEntry = z.infer<typeof MemoryEntry>;

export const StageStatus = z
  .enum(['pending', 'running', 'completed', 'failed', 'skipped'])
  .meta({ id: 'PipelineStageStatus' });
export type StageStatus = z.infer<typeof StageStatus>;

export const PipelineStatus = z.enum(['running', 'completed', 'failed']).meta({ id: 'PipelineStatus' });
export type PipelineStatus = z.infer<typeof PipelineStatus>;

export const PipelineStage = z
  .object({
    name: z.string(),
    status: StageStatus,
    dependsOn: z.array(z.string()),
    sessionId: z.string().nullable(),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'PipelineStage' });
export type PipelineStage = z.infer<typeof PipelineStage>;

export const Pipeline = z
  .object({
    id: z.string(),
    name: z.string(),
    status: PipelineStatus,
    stages: z.array(PipelineStage),
    ownerId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    endedAt: z.string().nullable(),
    error: z.string().nullable().describe('Why the pipeline failed, when it did'),
  })
  .meta({ id: 'Pipeline' });
export type Pipeline = z.infer<typeof Pipeline>;
