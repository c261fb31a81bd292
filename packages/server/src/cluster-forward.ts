import { type Aegis, AegisError } from '@aegis/core';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './http-errors.js';
import type { Logger } from './logger.js';

/** Set on a request one node forwards to another; such a request is never forwarded again. */
export const FORWARDED_BY = 'x-aegis-forwarded-by';
/** Set on the answer: the node that handled the request. */
export const HANDLED_BY = 'x-aegis-node';

/** Request headers that travel with a forwarded request (the caller's credentials among them). */
const PASSED = ['authorization', 'content-type', 'accept', 'idempotency-key', 'x-request-id', 'user-agent'];
/** Answer headers not copied back (the connection's own). */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding']);

/**
 * On a cluster node: a command for a session another node owns (or a new session placed on another
 * node) is answered there. The engine says so with `SESSION_ELSEWHERE` and the owner's address;
 * this sends the same request on, with the caller's own credentials (every node checks the same
 * keys in the shared database), and answers with the owner's answer. The owner applies it once;
 * with an `Idempotency-Key` a retry after a failover returns the first result.
 *
 * When the owner does not answer (it just died), 503 `NODE_UNAVAILABLE` with `Retry-After` = the
 * lease: by then another node has adopted the session.
 */
export function forwardToOwner(opts: { aegis: Aegis; logger: Logger }): MiddlewareHandler<AppEnv> {
  const { aegis, logger } = opts;
  return async (c, next) => {
    const node = aegis?.node;
    if (!node || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const forwarded = c.req.header(FORWARDED_BY);
    if (forwarded) {
      const actor = c.get('actor');
      if (actor) c.set('actor', { ...actor, forwarded: true });
    }
    // Kept (hono caches it) so the same bytes can be sent on after the handler read them.
    const body = c.req.raw.body ? await c.req.arrayBuffer() : undefined;
    await next();
    const err = c.error;
    if (!(err instanceof AegisError) || err.code !== 'SESSION_ELSEWHERE') return;
    const leaseSeconds = Math.ceil(node.leaseMs / 1000);
    const details = err.details ?? {};
    const target = typeof details.node === 'string' ? details.node : null;
    let address = typeof details.address === 'string' ? details.address : null;
    if (!address && target) address = (await aegis.nodes()).find((n) => n.id === target)?.address ?? null;
    if (forwarded || !address || target === node.id) {
      c.res = unavailable(
        c,
        forwarded
          ? `Session ownership is moving between nodes (node ${forwarded} sent this here, but ${target ?? 'another node'} holds it now); retry in a moment.`
          : `${err.message} Its owner cannot be reached yet; another node adopts it within ${leaseSeconds} s — retry then.`,
        forwarded ? 1 : leaseSeconds,
        target,
      );
      return;
    }
    const url = new URL(c.req.url);
    const headers = new Headers();
    for (const name of PASSED) {
      const v = c.req.header(name);
      if (v !== undefined) headers.set(name, v);
    }
    headers.set(FORWARDED_BY, node.id);
    try {
      const answer = await fetch(`${address}${url.pathname}${url.search}`, {
        method: c.req.method,
        headers,
        body: body && body.byteLength > 0 ? body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(120_000),
      });
      const out = new Headers();
      answer.headers.forEach((v, k) => {
        if (!HOP.has(k)) out.set(k, v);
      });
      if (!out.has(HANDLED_BY) && target) out.set(HANDLED_BY, target);
      c.res = new Response(answer.body, { status: answer.status, headers: out });
    } catch (cause) {
      logger.warn('forwarding to the owner node failed', {
        node: target,
        address,
        error: cause instanceof Error ? cause.message : String(cause),
      });
      c.res = unavailable(
        c,
        `Node ${target} (${address}), which runs this session, does not answer (${cause instanceof Error ? cause.message : String(cause)}). Another node adopts its sessions once its lease (${leaseSeconds} s) runs out; retry then — with the same Idempotency-Key, a retry is applied once.`,
        leaseSeconds,
        target,
      );
    }
  };
}

function unavailable(c: Context<AppEnv>, message: string, retryAfter: number, node: string | null): Response {
  return errorResponse(c, new AegisError('NODE_UNAVAILABLE', message, { details: { node, retryAfter } }));
}
