import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

const user = (text: string) => ({
  messages: [{ role: 'user' as const, content: { type: 'text' as const, text } }],
});

/** Prompts for common orchestration jobs: implement an issue, review a PR, debug a session. */
export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'implement_issue',
    {
      description: 'Have a Claude Code session implement an issue in a repository, approving what it needs.',
      argsSchema: { workDir: z.string(), issue: z.string().describe('The issue text or a link to it') },
    },
    (args) =>
      user(
        `Use the Aegis tools to implement this issue in ${args.workDir}.\n\n${args.issue}\n\nSteps: create_session with workDir "${args.workDir}" and a prompt that states the issue, asks for tests, and asks to run them. Then wait_for_state for idle, permission_prompt or asking; review each pending permission (approve_permission for edits inside the repo and test commands, reject_permission otherwise) and answer questions with answer_question. When idle, call get_session_summary and report the files touched, test results and cost.`,
      ),
  );
  server.registerPrompt(
    'review_pr',
    {
      description:
        'Have a session review a branch or pull request read-only (plan mode) and report findings.',
      argsSchema: { workDir: z.string(), target: z.string().describe('Branch, commit range or PR link') },
    },
    (args) =>
      user(
        `Use the Aegis tools to review ${args.target} in ${args.workDir}. create_session with permissionMode "plan" and a prompt asking for a review of ${args.target}: correctness, tests, security and style, each finding with file and line. wait_for_state for idle (reject any permission request: a review changes nothing). Then get_transcript and summarise the findings by severity.`,
      ),
  );
  server.registerPrompt(
    'debug_session',
    {
      description: 'Diagnose a stuck or failed session and suggest the next call.',
      argsSchema: { sessionId: z.string() },
    },
    (args) =>
      user(
        `Diagnose Aegis session ${args.sessionId}. Call get_status, get_session_summary and get_session_latency, and read the resource aegis://sessions/${args.sessionId}/transcript. Explain the state (problem, pending permission or question, stall, rate limit, crash and its stderr) and recommend the next tool call (approve_permission, answer_question, escape_session, interrupt_session, send_message, or create_session for a crashed one).`,
      ),
  );
}
