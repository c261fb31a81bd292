#!/usr/bin/env node
// Runs inside an Aegis sandbox, which has no network but its own loopback: listens on
// 127.0.0.1:<port> and hands every connection to the egress proxy's unix socket (bind-mounted in
// from outside), then runs the agent and exits as it does. The agent reaches the model (and any
// allowed host) only through that proxy.
//
//   node sandbox-launcher.mjs --port 8199 --socket /path/egress.sock -- <command> [args...]
//
// When the agent is a script for this same Node binary (the Claude Code adapter is), it runs in this
// process instead of a child: one Node start less on every sandboxed create. The forwarder then holds
// no reference on the event loop, so the process ends when the agent's own work does.
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const flags = split === -1 ? argv : argv.slice(0, split);
const command = split === -1 ? [] : argv.slice(split + 1);
const flag = (name) => {
  const i = flags.indexOf(name);
  return i === -1 ? undefined : flags[i + 1];
};
const port = Number(flag('--port'));
const socketPath = flag('--socket');
if (command.length === 0) {
  process.stderr.write('sandbox-launcher: nothing to run (usage: --port N --socket PATH -- command args)\n');
  process.exit(2);
}

const realpath = (p) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};
const inProcess =
  command.length >= 2 &&
  realpath(command[0]) === realpath(process.execPath) &&
  /\.(mjs|cjs|js)$/.test(command[1]) &&
  !command[1].startsWith('-');

function run() {
  if (inProcess) {
    const script = realpath(command[1]);
    process.argv = [process.execPath, script, ...command.slice(2)];
    import(pathToFileURL(script).href).catch((err) => {
      process.stderr.write(`sandbox-launcher: cannot run ${script}: ${err?.stack ?? err}\n`);
      process.exit(127);
    });
    return;
  }
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  child.on('error', (err) => {
    process.stderr.write(`sandbox-launcher: cannot run ${command[0]}: ${err.message}\n`);
    process.exit(127);
  });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

if (socketPath && Number.isInteger(port) && port > 0) {
  const server = net.createServer((inbound) => {
    const outbound = net.connect(socketPath);
    if (inProcess) {
      inbound.unref();
      outbound.unref();
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('error', () => outbound.destroy());
    outbound.on('error', () => inbound.destroy());
  });
  server.on('error', (err) => {
    process.stderr.write(`sandbox-launcher: cannot listen on 127.0.0.1:${port}: ${err.message}\n`);
    process.exit(126);
  });
  server.listen(port, '127.0.0.1', run);
  if (inProcess) server.unref();
} else {
  run();
}
