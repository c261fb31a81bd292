import { type operations, PERMISSION_MODES } from '@aegis/client';
import { z } from 'zod';

/** The JSON body of an API operation, from the client's types generated from openapi.json. */
export type Body<Op extends keyof operations> = NonNullable<
  operations[Op]['requestBody']
>['content']['application/json'];
/** The query parameters of an API operation, from the same generated types. */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/**
 * Declares MCP tool input fields against the API request type `T`: each field must be a field of
 * `T` whose type accepts what the zod schema outputs (a required field stays required). A field the
 * API renames, drops or retypes is then a build error here, not a 400 at the first call.
 *
 * @example
 * const fields = fieldsOf<Body<'createSession'>>()({ workDir: z.string() });
 */
export const fieldsOf =
  <T>() =>
  <S extends z.ZodRawShape & { [K in keyof S]: K extends keyof T ? z.ZodType<T[K]> : never }>(shape: S): S =>
    shape;

/** Every permission mode the API accepts (the spec's list, generated into the client). */
export const MODES = PERMISSION_MODES;

/** The `sessionId` every per-session tool takes (the API's path parameter). */
export const sessionId = {
  sessionId: z.string().describe('Session id from create_session or list_sessions'),
};

/**
 * One definition of each session field the MCP tools expose (create_session, create_session_from_template,
 * batch_create_sessions and pipeline stages pick from it; a tool may re-describe a field for its context).
 */
export const sessionFields = fieldsOf<Body<'createSession'>>()({
  workDir: z.string().describe('Absolute path of the folder to work in'),
  prompt: z.string().optional(),
  name: z.string().optional(),
  permissionMode: z.enum(MODES).optional(),
  model: z.string().optional(),
  agent: z.string().optional().describe('A configured ACP agent (default: the server default)'),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe('Extra environment variables for the agent process'),
  parentId: z.string().optional().describe('The session that started this one'),
  templateId: z.string().optional(),
  variables: z.record(z.string(), z.string()).optional(),
});

/** A session to start, as batch_create_sessions and create_pipeline stages take it. */
export const sessionSpec = z.object({
  workDir: sessionFields.workDir,
  prompt: sessionFields.prompt,
  name: sessionFields.name,
  permissionMode: sessionFields.permissionMode,
  model: sessionFields.model,
  templateId: sessionFields.templateId.describe('Start from a template (see list_templates)'),
  variables: sessionFields.variables.describe('Values for the template placeholders'),
});

/** The answer to a permission request (approve_permission, reject_permission). */
export const permissionAnswer = {
  ...sessionId,
  ...fieldsOf<Body<'approvePermission'>>()({
    optionId: z
      .string()
      .optional()
      .describe("Pick one of the request's options explicitly (its optionId, see get_status)"),
    scope: z.enum(['once', 'always']).optional(),
  }),
};

/** The request body for an answer, without the fields the caller left out. */
export const permissionAnswerBody = ({
  optionId,
  scope,
}: {
  optionId?: string | undefined;
  scope?: 'once' | 'always' | undefined;
}): Body<'approvePermission'> => ({
  ...(optionId ? { optionId } : {}),
  ...(scope ? { scope } : {}),
});

/** A memory key (the API's path parameter). */
export const memoryKey = z
  .string()
  .describe('1–256 characters of A-Z a-z 0-9 . _ : / -, e.g. "project/x:notes"');
