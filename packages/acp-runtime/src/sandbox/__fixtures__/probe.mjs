// Runs inside a sandbox in the tests: tries what a compromised agent would, prints one JSON line of
// outcomes (the error code when refused), and exits. Targets come from PROBE_* variables.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';

const env = process.env;
const outcome = (fn) => {
  try {
    return { ok: true, value: fn() };
  } catch (err) {
    return { ok: false, code: err.code ?? err.message };
  }
};
const tcp = (port) =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve({ ok: true });
    });
    s.on('error', (err) => resolve({ ok: false, code: err.code }));
  });
const request = (opts, body) =>
  new Promise((resolve) => {
    const req = http.request(opts, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ ok: true, status: res.statusCode, text }));
    });
    req.on('error', (err) => resolve({ ok: false, code: err.code }));
    req.end(body);
  });
const tunnel = (target) =>
  new Promise((resolve) => {
    const req = http.request({
      host: '127.0.0.1',
      port: Number(env.PROBE_EGRESS_PORT),
      method: 'CONNECT',
      path: target,
    });
    req.on('connect', (res, socket) => {
      socket.destroy();
      resolve({ ok: true, status: res.statusCode });
    });
    req.on('response', (res) => resolve({ ok: true, status: res.statusCode }));
    req.on('error', (err) => resolve({ ok: false, code: err.code }));
    req.end();
  });

if (env.PROBE_MODE === 'linger') {
  // A grandchild that would outlive a careless teardown.
  spawn('sh', ['-c', `sleep 1000; echo ${env.PROBE_MARKER}`], { stdio: 'ignore' });
  setInterval(() => {}, 1000);
} else {
  const base = new URL(env.ANTHROPIC_BASE_URL ?? 'http://127.0.0.1:1');
  const results = {
    hostHomeCanary: outcome(() => readFileSync(env.PROBE_HOST_HOME_CANARY, 'utf8')),
    stateDirCanary: outcome(() => readFileSync(env.PROBE_STATE_CANARY, 'utf8')),
    otherWorkDirCanary: outcome(() => readFileSync(env.PROBE_OTHER_CANARY, 'utf8')),
    writeOutside: outcome(() => writeFileSync(env.PROBE_OUTSIDE_FILE, 'escaped')),
    writeEtc: outcome(() => writeFileSync('/etc/passwd', 'x')),
    symlinkOut: outcome(() => {
      const link = join(process.cwd(), 'escape-link');
      symlinkSync(env.PROBE_HOST_HOME_CANARY, link);
      return readFileSync(link, 'utf8');
    }),
    writeWorkDir: outcome(() => writeFileSync(join(process.cwd(), 'made-inside.txt'), 'inside')),
    writeHome: outcome(() => writeFileSync(join(env.HOME, 'note.txt'), 'home')),
    shadow: outcome(() => readFileSync('/etc/shadow', 'utf8')),
    processes: readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length,
    apiKeyInEnv: Object.values(env).includes('real-secret-key'),
    hostLoopback: await tcp(Number(env.PROBE_HOST_PORT)),
    viaProxyToHost: await request({
      host: '127.0.0.1',
      port: Number(env.PROBE_EGRESS_PORT),
      path: `http://127.0.0.1:${env.PROBE_HOST_PORT}/v1/sessions`,
    }),
    tunnelRefused: await tunnel(`127.0.0.1:${env.PROBE_HOST_PORT}`),
    tunnelAllowed: await tunnel(`127.0.0.1:${env.PROBE_ALLOWED_PORT}`),
    model: await request(
      {
        host: base.hostname,
        port: Number(base.port),
        path: '/v1/messages?beta=true',
        method: 'POST',
        headers: { 'x-api-key': env.ANTHROPIC_API_KEY, 'content-type': 'application/json' },
      },
      '{"model":"m"}',
    ),
  };
  process.stdout.write(`${JSON.stringify(results)}\n`);
}
