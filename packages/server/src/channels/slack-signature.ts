import { createHmac, timingSafeEqual } from 'node:crypto';
import { AegisError } from '@aegis/core';

// Apart from slack.ts so that the interactivity route can check a signature without loading the
// Slack SDK: a server without the Slack channel never loads it.

/** Slack's own limit on an interactivity request's age (replays older than this are refused). */
export const SLACK_TIMESTAMP_WINDOW_SEC = 300;

/**
 * Checks an interactivity request as Slack signs it: `X-Slack-Signature` = `v0=` + HMAC-SHA256 of
 * `v0:<X-Slack-Request-Timestamp>:<raw body>` with the signing secret, and the timestamp within
 * {@link SLACK_TIMESTAMP_WINDOW_SEC} of now. Throws `UNAUTHORIZED` saying which check failed.
 */
export function verifySlackSignature(
  secret: string,
  headers: { timestamp?: string | undefined; signature?: string | undefined },
  body: string,
  nowSec = Math.floor(Date.now() / 1000),
): void {
  const ts = Number(headers.timestamp);
  if (!headers.timestamp || !Number.isFinite(ts) || Math.abs(nowSec - ts) > SLACK_TIMESTAMP_WINDOW_SEC) {
    throw new AegisError(
      'UNAUTHORIZED',
      'The Slack request timestamp is missing or outside the 5-minute window.',
    );
  }
  const expected = `v0=${createHmac('sha256', secret).update(`v0:${headers.timestamp}:${body}`).digest('hex')}`;
  const given = Buffer.from(headers.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw new AegisError('UNAUTHORIZED', 'The Slack request signature does not match.');
  }
}
