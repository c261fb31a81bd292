import type { operations } from '@aegis/client';
import { z } from 'zod';
import { approvePermissionBody, createSessionBody } from './inputs.gen.js';

/** The JSON body of an API operation, from the client's types generated from openapi.json. */
export type Body<Op extends keyof operations> = NonNullable<
  operations[Op]['requestBody']
>['content']['application/json'];
/** The query parameters of an API operation, from the same generated types. */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;

/** The `sessionId` every per-session tool takes (the API's path parameter). */
export const sessionId = {
  sessionId: z.string().describe('Session id from create_session or list_sessions'),
};

/**
 * The session fields the MCP tools expose (create_session, create_session_from_template and
 * create_routine pick from them; a tool may re-describe a field for its context), generated from the
 * createSession body in openapi.json: the API's limits, enums and descriptions.
 */
export const sessionFields = createSessionBody;

/** The answer to a permission request (approve_permission, reject_permission). */
export const permissionAnswer = {
  ...sessionId,
  optionId: approvePermissionBody.optionId.describe(
    "Pick one of the request's options explicitly (its optionId, see get_status)",
  ),
  scope: approvePermissionBody.scope,
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
