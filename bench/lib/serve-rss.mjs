// `ag serve` as users run it (the bundled CLI, not server-proc.mjs): its RSS once its first session
// has run a turn and ended, the server idle again.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SCRIPTED_AGENT_BIN, script } from '@aegis/testkit';
import { createSession, tempRoot, timedTurn } from './aegis.mjs';
import { api, waitHealthy } from './http.mjs';
import { freePort, median, rssMiB, sleep, stopChild } from './proc.mjs';

const CLI_BIN = join(import.meta.dirname, '../../packages/cli/dist/bin.js');
/** How long the server sits idle after the session ends before its RSS is read. */
const SETTLE_MS = 2000;

export async function serveRss(size) {
  const runs = [];
  for (let i = 0; i < size.serveRuns; i++) {
    const t = tempRoot('serve-rss');
    const port = await freePort();
    const child = spawn(process.execPath, [CLI_BIN, 'serve'], {
      env: {
        ...process.env,
        AEGIS_PORT: String(port),
        AEGIS_STATE_DIR: join(t.root, 'state'),
        AEGIS_ALLOWED_WORKDIRS: t.root,
        AEGIS_ACP_BIN: `${process.execPath} ${SCRIPTED_AGENT_BIN}`,
        AEGIS_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitHealthy(url, { everyMs: 10, what: 'ag serve' });
      const { id } = await createSession(url, { workDir: t.dir() });
      await timedTurn(url, id, script({ say: 'hello' }));
      await api(url, 'DELETE', `/v1/sessions/${id}`);
      await sleep(SETTLE_MS);
      runs.push(rssMiB(child.pid));
    } finally {
      await stopChild(child);
    }
  }
  const value = median(runs);
  return [
    {
      scenario: 'memory',
      metric: '`ag serve` RSS, 2 s after its first session ended',
      value,
      unit: 'MiB',
      floor: '<= 80 MiB',
      met: value <= 80,
      runs,
    },
  ];
}
