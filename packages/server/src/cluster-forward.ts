import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Actor, type Aegis, AegisError, ERROR_STATUS, type ErrorCode } from '@aegis/core';
import { context, propagation } from '@opentelemetry/api';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env.js';
import { errorResponse } from './http-errors.js';
import type { Logger } from './logger.js';

/** Set on a request one node forwards to another; such a request is never forwarded again. */
export const FORWARDED_BY = 'x-aegis-forwarded-by';
/** `<unix ms>.<HMAC>`: proves a forwarded request comes from a node of the cluster. */
export const FORWARD_SIGNATURE = 'x-aegis-forward-signature';
/** Set on the answer: the node that handled the request. */
export const HANDLED_BY = 'x-aegis-node';
/**
 * On a request a node sends for a chat user (a Telegram or Slack action on a session another node
 * owns): `{"id":"telegram:<id>","role":"operator"}`, covered by the signature. The owner acts as
 * that chat user; no API key travels.
 */
export const FORWARD_ACTOR = 'x-aegis-forward-actor';
/** The chat users a node may act for (`<channel>:<user id>`): nobody else is taken from the header. */
const CHAT_ACTOR = /^(telegram|slack):[\w.-]{1,64}$/;
const CHAT_ROLES = new Set(['viewer', 'operator', 'admin']);
/** How far a signature's time may be from this node's clock. */
const SIGNATURE_WINDOW_MS = 60_000;

/** What nodes share to trust each other's forwarded requests (the cluster store). */
export interface PeerTrust {
  forwardingSecret(): Promise<string>;
}

const signatureOf = async (
  trust: PeerTrust,
  parts: {
    node: string;
    method: string;
    path: string;
    at: string;
    body: ArrayBuffer | undefined;
    actor?: string | undefined;
  },
) =>
  createHmac('sha256', await trust.forwardingSecret())
    .update(
      [
        parts.node,
        parts.method,
        parts.path,
        parts.at,
        createHash('sha256')
          .update(new Uint8Array(parts.body ?? new ArrayBuffer(0)))
          .digest('hex'),
        // Only a chat user's request signs one more line: the others' signatures stay as they were.
        ...(parts.actor === undefined ? [] : [parts.actor]),
      ].join('\n'),
    )
    .digest('hex');

/** The chat user a verified request acts for, or undefined when the header is not one. */
function chatActorOf(header: string): Actor | undefined {
  try {
    const a = JSON.parse(header) as { id?: unknown; role?: unknown };
    if (typeof a.id !== 'string' || !CHAT_ACTOR.test(a.id)) return undefined;
    if (typeof a.role !== 'string' || !CHAT_ROLES.has(a.role)) return undefined;
    return { id: a.id, role: a.role, admin: a.role === 'admin' };
  } catch {
    return undefined;
  }
}

/**
 * Recognises a request another node forwarded (`X-Aegis-Forwarded-By` with a valid signature made
 * with the cluster's shared secret) and sets `peer` to that node. Such a request was counted
 * against the caller's rate where it arrived, so it is not counted again. A forged or stale header
 * is ignored: the request is treated as the client's own. A signed `X-Aegis-Forward-Actor` (a chat
 * user's action, see `sendAsChatUser`) sets `peerActor`, whom the auth gate then takes as the caller.
 */
export function verifyPeers(trust: PeerTrust): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const node = c.req.header(FORWARDED_BY);
    const signature = c.req.header(FORWARD_SIGNATURE);
    const onBehalf = c.req.header(FORWARD_ACTOR);
    if (node && signature) {
      const [at = '', mac = ''] = signature.split('.', 2);
      const fresh = Math.abs(Date.now() - Number(at)) <= SIGNATURE_WINDOW_MS;
      if (fresh) {
        const url = new URL(c.req.url);
        const body = c.req.raw.body ? await c.req.arrayBuffer() : undefined;
        const expected = await signatureOf(trust, {
          node,
          method: c.req.method,
          path: url.pathname + url.search,
          at,
          body,
          actor: onBehalf,
        }).catch(() => '');
        const a = Buffer.from(mac, 'utf8');
        const b = Buffer.from(expected, 'utf8');
        if (expected && a.length === b.length && timingSafeEqual(a, b)) {
          c.set('peer', node);
          const actor = onBehalf === undefined ? undefined : chatActorOf(onBehalf);
          if (actor) c.set('peerActor', actor);
        }
      }
    }
    return next();
  };
}

/** Request headers that travel with a forwarded request (the caller's credentials among them). */
const PASSED = [
  'authorization',
  'content-type',
  'accept',
  'idempotency-key',
  'x-request-id',
  'user-agent',
  'traceparent',
  'tracestate',
];
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
export function forwardToOwner(opts: {
  aegis: Aegis;
  logger: Logger;
  trust: PeerTrust | undefined;
}): MiddlewareHandler<AppEnv> {
  const { aegis, logger, trust } = opts;
  return async (c, next) => {
    const node = aegis?.node;
    if (!node || !trust || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const forwarded = c.get('peer');
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
    const { target, address } = await ownerOf(aegis, err);
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
    // Traced here: the owner's spans are children of this request's span (else the caller's pass on).
    propagation.inject(context.active(), headers, { set: (h, k, v) => h.set(k, v) });
    headers.set(FORWARDED_BY, node.id);
    try {
      const at = String(Date.now());
      const mac = await signatureOf(trust, {
        node: node.id,
        method: c.req.method,
        path: url.pathname + url.search,
        at,
        body,
      });
      headers.set(FORWARD_SIGNATURE, `${at}.${mac}`);
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

/** Where a `SESSION_ELSEWHERE` says the session lives: its node, and that node's address. */
async function ownerOf(
  aegis: Aegis,
  err: AegisError,
): Promise<{ target: string | null; address: string | null }> {
  const details = err.details ?? {};
  const target = typeof details.node === 'string' ? details.node : null;
  let address = typeof details.address === 'string' ? details.address : null;
  if (!address && target) address = (await aegis.nodes()).find((n) => n.id === target)?.address ?? null;
  return { target, address };
}

/**
 * A chat user's action (a Telegram or Slack button, a prompt typed in a topic) on a session another
 * node owns. The node that took it from the chat sends the same operation's API request to the
 * owner (`elsewhere`, the engine's `SESSION_ELSEWHERE`, says where), signed like a forwarded request
 * and naming the chat user (`X-Aegis-Forward-Actor`, in the signature): the owner acts as that
 * user, with the channel's role. Answers the owner's JSON answer, or throws its error; when the
 * owner does not answer, `NODE_UNAVAILABLE` (another node adopts the session within the lease).
 */
export async function sendAsChatUser(opts: {
  aegis: Aegis;
  trust: PeerTrust;
  elsewhere: AegisError;
  actor: Actor;
  method: 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}): Promise<unknown> {
  const { aegis, trust, elsewhere, actor } = opts;
  const node = aegis.node;
  if (!node) throw elsewhere;
  const leaseSeconds = Math.ceil(node.leaseMs / 1000);
  const { target, address } = await ownerOf(aegis, elsewhere);
  if (!address || target === node.id) {
    throw new AegisError(
      'NODE_UNAVAILABLE',
      `${elsewhere.message} Its owner cannot be reached yet; another node adopts it within ${leaseSeconds} s — try again then.`,
      { details: { node: target, retryAfter: leaseSeconds } },
    );
  }
  const text = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const body = text === undefined ? undefined : (new TextEncoder().encode(text).buffer as ArrayBuffer);
  const onBehalf = JSON.stringify({ id: actor.id, role: actor.role });
  const at = String(Date.now());
  const mac = await signatureOf(trust, {
    node: node.id,
    method: opts.method,
    path: opts.path,
    at,
    body,
    actor: onBehalf,
  });
  const headers = new Headers({
    accept: 'application/json',
    [FORWARDED_BY]: node.id,
    [FORWARD_SIGNATURE]: `${at}.${mac}`,
    [FORWARD_ACTOR]: onBehalf,
  });
  if (text !== undefined) headers.set('content-type', 'application/json');
  propagation.inject(context.active(), headers, { set: (h, k, v) => h.set(k, v) });
  let answer: Response;
  let parsed: unknown;
  try {
    answer = await fetch(`${address}${opts.path}`, {
      method: opts.method,
      headers,
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(120_000),
    });
    parsed = await answer.json().catch(() => undefined);
  } catch (cause) {
    throw new AegisError(
      'NODE_UNAVAILABLE',
      `Node ${target} (${address}), which runs this session, does not answer (${cause instanceof Error ? cause.message : String(cause)}). Another node adopts its sessions once its lease (${leaseSeconds} s) runs out; try again then.`,
      { details: { node: target, retryAfter: leaseSeconds } },
    );
  }
  if (answer.ok) return parsed;
  const error = (parsed as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
    ?.error;
  const code = error?.code && error.code in ERROR_STATUS ? (error.code as ErrorCode) : 'INTERNAL';
  throw new AegisError(
    code,
    error?.message ?? `Node ${target} answered ${answer.status}.`,
    error?.details ? { details: error.details } : {},
  );
}

function unavailable(c: Context<AppEnv>, message: string, retryAfter: number, node: string | null): Response {
  return errorResponse(c, new AegisError('NODE_UNAVAILABLE', message, { details: { node, retryAfter } }));
}
