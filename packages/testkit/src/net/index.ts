import { connect, createServer, type Socket } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A TCP relay in front of a port that notes the request lines clients send through it, so a test
 * can tell what a client process has done (a CLI that opened its event stream has had its POST
 * answered). The upstream port may go away and come back; each client connection gets a fresh one.
 */
export interface TcpTap {
  url: string;
  /** Request lines ("GET /v1/… HTTP/1.1") seen so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startTcpTap(targetPort: number): Promise<TcpTap> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const tap = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk: Buffer) => {
      const line = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+ HTTP\/1\.[01]/m.exec(
        chunk.toString('latin1'),
      );
      if (line) requests.push(line[0]);
    });
    client.pipe(upstream);
    upstream.pipe(client);
    upstream.once('close', () => client.destroy());
    client.once('close', () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    tap.once('error', reject);
    tap.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = tap.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        tap.close(() => resolve());
      }),
  };
}
