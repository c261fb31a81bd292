/**
 * Capability names of the earlier Aegis documents (`POST /v1/handshake`), and what this server says
 * about each: the capability of ours it is (supported), or why it is not supported.
 */
export const DOCUMENTED_CAPABILITIES: Readonly<Record<string, { ours: string } | { unsupported: string }>> =
  Object.freeze({
    'session.create': { ours: 'sessions' },
    'session.resume': { ours: 'sessions' },
    'session.approve': { ours: 'permissions' },
    'session.transcript': { ours: 'transcript' },
    'session.transcript.cursor': { ours: 'transcript.cursor' },
    'session.events.sse': { ours: 'events.sse' },
    metrics: { ours: 'metrics.prometheus' },
    'session.screenshot': {
      unsupported: 'screenshots belong to the tmux-era Aegis; POST /v1/sessions/{id}/screenshot answers 501',
    },
    'hooks.pre_tool_use': {
      unsupported: 'no Claude Code HTTP hooks reach this server; follow tool.started on the event stream',
    },
    'hooks.post_tool_use': {
      unsupported: 'no Claude Code HTTP hooks reach this server; follow tool.completed on the event stream',
    },
    'hooks.notification': {
      unsupported: 'no Claude Code HTTP hooks reach this server; follow the event stream (or webhooks)',
    },
    'hooks.stop': {
      unsupported:
        'no Claude Code HTTP hooks reach this server; follow turn.completed / session.ended on the event stream',
    },
    swarm: {
      unsupported: "there is no swarm view; list a parent's sessions with GET /v1/sessions and parentId",
    },
  });

/** The documented names this server supports (listed in `serverCapabilities` beside ours). */
export const SUPPORTED_DOCUMENTED_CAPABILITIES: readonly string[] = Object.entries(DOCUMENTED_CAPABILITIES)
  .filter(([, v]) => 'ours' in v)
  .map(([k]) => k);
