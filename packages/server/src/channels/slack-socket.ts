import { LogLevel, SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../logger.js';

/**
 * Socket Mode: Slack sends button clicks over a websocket Aegis opens (no public URL needed). The
 * connection comes from `apps.connections.open` with the app-level token (`xapp-…`, scope
 * `connections:write`); each interaction arrives as an envelope, acknowledged at once, then handled
 * as the interactivity endpoint handles a verified request.
 */
export function startSlackSocketMode(opts: {
  appToken: string;
  apiUrl?: string | undefined;
  handle(payload: Record<string, unknown>): Promise<string>;
  logger: Logger;
}): () => Promise<void> {
  const client = new SocketModeClient({
    appToken: opts.appToken,
    ...(opts.apiUrl ? { clientOptions: { slackApiUrl: opts.apiUrl } } : {}),
    // Its own chatter (connecting, reconnecting) stays out of the server's log unless it fails.
    logLevel: LogLevel.ERROR,
  });
  client.on(
    'interactive',
    async ({ ack, body }: { ack: () => Promise<void>; body: Record<string, unknown> }) => {
      await ack();
      try {
        const outcome = await opts.handle(body);
        opts.logger.debug('Slack interaction (Socket Mode)', { outcome });
      } catch (err) {
        opts.logger.error('a Slack interaction failed; ignored', {
          error: err instanceof Error ? err.message : String(err),
        });
      }
    },
  );
  const started = client.start().catch((err: unknown) => {
    opts.logger.warn(
      `Slack Socket Mode could not connect: ${err instanceof Error ? err.message : String(err)}. Check channels.slack.appToken (an app-level token, xapp-…, with connections:write) and that Socket Mode is on in the app's settings.`,
      {},
    );
  });
  return async () => {
    await started;
    await client.disconnect().catch(() => {});
  };
}
