// Turn overhead with tracing on vs off, in the same run: two servers (one exporting every span over
// OTLP/HTTP to a local receiver, one with tracing off) run the same turns, alternately. With the
// scripted agent (a 10k-chunk turn and a turn of 200 instant tool calls: the worst case per span),
// and with the real Claude Code adapter against the local Messages API stand-in.
import { claudeAgentEnv, script, startFakeMessagesApi, startOtlpReceiver } from '@aegis/testkit';
import { createSession, startAegis, tempRoot, timedTurn } from './aegis.mjs';
import { cpuSeconds, median } from './proc.mjs';

export async function tracingOverhead(size) {
  const otlp = await startOtlpReceiver();
  const tOff = tempRoot('trace-off');
  const tOn = tempRoot('trace-on');
  const off = await startAegis(tOff.root);
  const on = await startAegis(tOn.root, { tracing: { endpoint: otlp.url } });
  const rows = [];
  try {
    const offId = (await createSession(off.url, { workDir: tOff.dir() })).id;
    const onId = (await createSession(on.url, { workDir: tOn.dir() })).id;
    for (const [label, step] of [
      [`${size.chunks}-chunk turn`, { chunksBulk: size.chunks }],
      [`${size.tools}-tool-call turn`, { tools: size.tools }],
    ]) {
      const text = script(step);
      await timedTurn(off.url, offId, text); // warm-up
      await timedTurn(on.url, onId, text);
      rows.push(
        ...(await alternate({ on, off, onIds: [onId], offIds: [offId] }, text, label, size.tracingRepeats)),
      );
    }
  } finally {
    await on.stop();
    await off.stop();
  }
  // The traced server exported its spans (at the latest when it stopped): tracing was really on.
  const turns = otlp.spans.filter((s) => s.name === 'aegis.turn').length;
  const tools = otlp.spans.filter((s) => s.name === 'aegis.tool').length;
  await otlp.close();
  if (turns === 0) throw new Error('tracing overhead: the traced server exported no turn spans');
  rows.push({
    scenario: 'tracing overhead',
    metric: 'spans exported by the traced server',
    value: otlp.spans.length,
    unit: 'spans',
    turns,
    tools,
  });
  return rows;
}

/**
 * `repeats` turns of `text` on each server, alternating (and swapping who goes first, which spreads
 * the machine's noise over both), turn i in session i mod the sessions given: rows for the median
 * wall time and the server CPU per turn.
 */
async function alternate({ on, off, onIds, offIds }, text, label, repeats) {
  // Per server: each turn's ms and its events (a burst's deltas are joined by timing, so a turn's
  // event count, and its stores and SSE writes, can differ between the two for reasons other
  // than tracing).
  const turns = new Map([
    [on, { ids: onIds, ms: [], events: [] }],
    [off, { ids: offIds, ms: [], events: [] }],
  ]);
  // Server CPU over the measured turns: unlike wall time, barely moved by other load on the machine.
  const cpu0 = { on: cpuSeconds(on.pid), off: cpuSeconds(off.pid) };
  for (let i = 0; i < repeats; i++) {
    const pair = i % 2 === 0 ? [off, on] : [on, off];
    for (const server of pair) {
      const runs = turns.get(server);
      const turn = await timedTurn(server.url, runs.ids[i % runs.ids.length], text);
      runs.ms.push(turn.ms);
      runs.events.push(turn.events);
    }
  }
  const cpuMs = {
    on: ((cpuSeconds(on.pid) - cpu0.on) * 1000) / repeats,
    off: ((cpuSeconds(off.pid) - cpu0.off) * 1000) / repeats,
  };
  const offMedian = median(turns.get(off).ms);
  const onMedian = median(turns.get(on).ms);
  const ratio = onMedian / offMedian;
  return [
    {
      scenario: 'tracing overhead',
      metric: `${label}, tracing on`,
      value: onMedian,
      unit: 'ms',
      baseline: offMedian,
      ratio,
      floor: 'ratio <= 1.05',
      met: ratio <= 1.05,
      runs: repeats,
      eventsOn: median(turns.get(on).events),
      eventsOff: median(turns.get(off).events),
    },
    {
      scenario: 'tracing overhead',
      metric: `${label}, tracing on: server CPU per turn`,
      value: cpuMs.on,
      unit: 'ms',
      baseline: cpuMs.off,
      ratio: cpuMs.off > 0 ? cpuMs.on / cpuMs.off : null,
      floor: 'ratio <= 1.05',
      met: cpuMs.off > 0 && cpuMs.on / cpuMs.off <= 1.05,
      runs: repeats,
    },
  ];
}

/**
 * The same with the real Claude Code adapter (no warm pool) against the local Messages API stand-in:
 * a Bash turn and a Write turn, each a tool call the adapter runs, as users' turns are. Each server
 * runs its turns over several sessions (several adapter processes), since one adapter process can be
 * steadily faster than another by more than what is measured here.
 */
export async function tracingRealAgent(size) {
  const otlp = await startOtlpReceiver();
  const fake = await startFakeMessagesApi();
  const t = tempRoot('trace-real');
  const agentEnv = claudeAgentEnv({ baseUrl: fake.url, home: t.dir('home') });
  const base = { defaultAgent: 'claude-code', agentEnv, pool: { size: 0 } };
  const off = await startAegis(t.root, base);
  const on = await startAegis(t.root, {
    ...base,
    stateDir: `${t.root}/state-on`,
    tracing: { endpoint: otlp.url },
  });
  const rows = [];
  try {
    const open = async (server) =>
      (await createSession(server.url, { workDir: t.dir('w'), permissionMode: 'bypassPermissions' })).id;
    const offIds = [];
    const onIds = [];
    for (let i = 0; i < size.tracingRealSessions; i++) {
      offIds.push(await open(off));
      onIds.push(await open(on));
    }
    for (const [label, text] of [
      ['real agent Bash turn', 'run `echo hi`'],
      ['real agent Write turn', 'create a file named bench.txt containing hello'],
    ]) {
      for (const id of offIds) await timedTurn(off.url, id, text); // warm-up
      for (const id of onIds) await timedTurn(on.url, id, text);
      rows.push(...(await alternate({ on, off, onIds, offIds }, text, label, size.tracingRealRepeats)));
    }
  } finally {
    await on.stop();
    await off.stop();
    await fake.close();
  }
  const tools = otlp.spans.filter((s) => s.name === 'aegis.tool').length;
  await otlp.close();
  if (tools === 0) throw new Error('tracing overhead (real agent): the traced server exported no tool spans');
  return rows;
}
