import type { AegisClient } from '@aegis/client';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { batchCreateSessionsBody, createPipelineBody } from '../inputs.gen.js';
import { sessionFields } from '../inputs.js';
import { call } from '../tool-result.js';

/** A pipeline's body (create_pipeline, and create_routine's pipeline target). */
export const pipelineFields = createPipelineBody;

/** Many sessions at once: batches, templates and pipelines. */
export function registerOrchestrationTools(server: McpServer, client: AegisClient): void {
  server.registerTool(
    'batch_create_sessions',
    {
      description:
        'Start up to 50 sessions at once. Each item succeeds or fails on its own; the result lists them in order.',
      inputSchema: batchCreateSessionsBody,
    },
    (args) => call(() => client.batchCreateSessions(args)),
  );
  server.registerTool(
    'list_templates',
    {
      description:
        'List session templates (built-ins code-reviewer, ci-runner, pr-reviewer, docs-writer, plus your own) with their prompt variables.',
      inputSchema: {},
    },
    () => call(() => client.listTemplates()),
  );
  server.registerTool(
    'create_session_from_template',
    {
      description:
        'Start a session from a template, filling its {{variables}}. Fields given here override the template.',
      inputSchema: {
        templateId: sessionFields.templateId.unwrap().describe('Template id or name, e.g. "code-reviewer"'),
        workDir: sessionFields.workDir,
        variables: sessionFields.variables,
        prompt: sessionFields.prompt.describe("Replaces the template's prompt"),
        name: sessionFields.name,
      },
    },
    (args) => call(() => client.createSession(args)),
  );
  server.registerTool(
    'create_pipeline',
    {
      description:
        "Run sessions as stages: a stage starts when every stage in its dependsOn has completed (its session's first turn ended). A failed stage skips its dependents. Poll get_pipeline for progress.",
      inputSchema: pipelineFields,
    },
    (args) => call(() => client.createPipeline(args)),
  );
  server.registerTool(
    'list_pipelines',
    { description: 'List your pipelines, newest first, with stage statuses.', inputSchema: {} },
    () => call(() => client.listPipelines()),
  );
  server.registerTool(
    'get_pipeline',
    {
      description: "Get a pipeline and each stage's status, session id and error.",
      inputSchema: { pipelineId: z.string() },
    },
    (args) => call(() => client.getPipeline(args.pipelineId)),
  );
}
