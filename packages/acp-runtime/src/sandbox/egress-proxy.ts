import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { hostAllowed } from './host-pattern.js';

/** One connection attempt out of a sandbox, allowed or refused. */
export interface EgressAttempt {
  /** `model`: to the model endpoint (the key added here); `http` / `connect`: to another host. */
  kind: 'model' | 'http' | 'connect';
  host: string;
  port: number;
  allowed: boolean;
  /** Method and path of an HTTP request (not of a CONNECT tunnel). */
  method?: string | undefined;
  path?: string | undefined;
  /** Why it was refused, or what went wrong on the way out. */
  reason?: string | undefined;
}

export interface EgressProxyOptions {
  /** The unix socket it listens on (bind-mounted into the sandbox). */
  socketPath: string;
  /** The model endpoint requests to the sandbox's own base URL go to (`ANTHROPIC_BASE_URL` outside). */
  upstream: string;
  /**
   * Credentials added on the way to the model: the sandbox never holds them. Any `x-api-key` or
   * `authorization` the agent sends is dropped first.
   */
  credentials?: { apiKey?: string | undefined; authToken?: string | undefined } | undefined;
  /** Hosts besides the model a sandbox may reach: `host`, `host:port` or `*.domain`. */
  allowedHosts?: readonly string[] | undefined;
  /** Told of every attempt (for the audit trail). */
  onAttempt?: ((attempt: EgressAttempt) => void) | undefined;
}

const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

/**
 * The one way out of a sandbox: an HTTP proxy on a unix socket. Requests in origin form
 * (`POST /v1/messages`, the agent talking to its base URL) go to the model endpoint with the
 * server's credentials added; absolute-form requests and CONNECT tunnels go only to allowed hosts.
 * Everything else is refused with 403 and reported.
 */
export async function startEgressProxy(options: EgressProxyOptions): Promise<{ close(): Promise<void> }> {
  const upstream = new URL(options.upstream);
  const allowed = options.allowedHosts ?? [];
  const report = (a: EgressAttempt) => {
    try {
      options.onAttempt?.(a);
    } catch {
      // A failing listener must not break the agent's traffic.
    }
  };
  const portOf = (u: URL) => Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  // Upstream connections are kept alive: a turn makes several model calls in a row.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
  };
  const modelHost = upstream.hostname;
  const modelPort = portOf(upstream);

  const forward = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    target: URL,
    attempt: EgressAttempt,
    addCredentials: boolean,
  ) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined || HOP.has(k)) continue;
      if (addCredentials && (k === 'x-api-key' || k === 'authorization')) continue;
      headers[k] = v;
    }
    headers.host = target.host;
    if (addCredentials && options.credentials?.apiKey) headers['x-api-key'] = options.credentials.apiKey;
    if (addCredentials && options.credentials?.authToken)
      headers.authorization = `Bearer ${options.credentials.authToken}`;
    const https_ = target.protocol === 'https:';
    const send = https_ ? https.request : http.request;
    const agent = https_ ? agents['https:'] : agents['http:'];
    const out = send(target, { method: req.method, headers, agent }, (answer) => {
      const back: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP.has(k)) back[k] = v;
      res.writeHead(answer.statusCode ?? 502, back);
      answer.pipe(res);
    });
    out.on('error', (err) => {
      report({ ...attempt, reason: err.message });
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Aegis egress proxy: ${target.host} did not answer (${err.message}).\n`);
    });
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    const raw = req.url ?? '/';
    if (raw.startsWith('/')) {
      // The agent's own base URL: the model endpoint, under its path prefix.
      const base = upstream.pathname.replace(/\/+$/, '');
      const target = new URL(base + raw, upstream.origin);
      const attempt: EgressAttempt = {
        kind: 'model',
        host: modelHost,
        port: modelPort,
        allowed: true,
        method: req.method,
        path: raw.split('?')[0],
      };
      report(attempt);
      forward(req, res, target, attempt, true);
      return;
    }
    let target: URL;
    try {
      target = new URL(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('Aegis egress proxy: bad request target.\n');
      return;
    }
    const port = portOf(target);
    const ok = hostAllowed(allowed, target.hostname, port);
    const attempt: EgressAttempt = {
      kind: 'http',
      host: target.hostname,
      port,
      allowed: ok,
      method: req.method,
      path: target.pathname,
      ...(ok ? {} : { reason: 'not in the session’s allowedHosts' }),
    };
    report(attempt);
    if (!ok) {
      res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end(
          `Aegis sandbox: ${target.host} is not reachable from this session (only the model endpoint and the session's allowedHosts are).\n`,
        );
      return;
    }
    forward(req, res, target, attempt, false);
  });

  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const [host = '', portText = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const port = Number(portText);
    const isModel = host.toLowerCase() === modelHost.toLowerCase() && port === modelPort;
    const ok = isModel || hostAllowed(allowed, host, port);
    report({
      kind: isModel ? 'model' : 'connect',
      host,
      port,
      allowed: ok,
      ...(ok ? {} : { reason: 'not in the session’s allowedHosts' }),
    });
    client.on('error', () => {});
    if (!ok) {
      client.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nAegis sandbox: ${host}:${port} is not reachable from this session.\n`,
      );
      return;
    }
    const out = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) out.write(head);
      out.pipe(client);
      client.pipe(out);
    });
    out.on('error', (err) => {
      report({ kind: 'connect', host, port, allowed: true, reason: err.message });
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());

  await rm(options.socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agents['http:'].destroy();
        agents['https:'].destroy();
      }).then(() => rm(options.socketPath, { force: true })),
  };
}
