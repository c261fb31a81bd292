import type { Actor, Aegis } from '@aegis/core';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { MatchedOperation } from './auth/operations.js';
import { validationHook } from './http-errors.js';
import type { Logger } from './logger.js';
import type { EventStreamLimits, OpenStreams } from './open-streams.js';

export interface AppEnv {
  /**
   * `operation`: the matched route's operationId and path params, set by the auth middleware.
   * `auditBody`: a mutating request's body bytes, read by the audit trail before anything else.
   * `auditIntent`: the id of the audit record written before the handler ran (authorized requests).
   */
  Variables: {
    actor: Actor;
    requestId: string;
    operation: MatchedOperation | undefined;
    auditBody: ArrayBuffer | undefined;
    auditIntent: number | undefined;
    /**
     * Whether the credential this request was authenticated with still works (a key not revoked,
     * expired or past its rotation grace); long-lived event streams re-check it. Set by the auth gate.
     */
    credentialValid: (() => Promise<boolean>) | undefined;
    /** When the credential stops working by itself (a sign-in token's `exp`), epoch ms; set by the auth gate. */
    credentialExpiresAt: number | undefined;
    /** The node that forwarded this request, when its signature checks out (cluster). */
    peer: string | undefined;
    /** The chat user a peer's signed request acts for (a Telegram or Slack action; cluster). */
    peerActor: Actor | undefined;
  };
}

export interface RouteDeps {
  aegis: Aegis;
  version: string;
  startedAt: number;
  agents: readonly string[];
  heartbeatMs: number;
  /** Limits of the event streams, and the streams open per key. */
  eventStreams: EventStreamLimits;
  streams: OpenStreams;
  /** Failures after a response has started (a broken event stream) are logged here. */
  logger: Logger;
}

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook as never });
}

/**
 * `method → operationId` per OpenAPI path, as the rendered document's `paths` has them, read from
 * the route registry without rendering any schema (what the auth matcher needs at start-up).
 */
export function registeredPaths(
  app: OpenAPIHono<AppEnv>,
): Record<string, Record<string, { operationId?: string }>> {
  const paths: Record<string, Record<string, { operationId?: string }>> = {};
  for (const d of app.openAPIRegistry.definitions) {
    if (d.type !== 'route') continue;
    const ops = (paths[d.route.path] ??= {});
    ops[d.route.method] = d.route.operationId === undefined ? {} : { operationId: d.route.operationId };
  }
  return paths;
}
