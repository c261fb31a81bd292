// Turn overhead with tracing on vs off, in the same run: two servers (one exporting every span over
// OTLP/HTTP to a local receiver, one with tracing off) run the same turns, alternately.
import { script, startOtlpReceiver } from '@aegis/testkit';
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
      // Per server: each turn's ms and its events (a burst's deltas are joined by timing, so a turn's
      // event count, and its stores and SSE writes, can differ between the two for reasons other
      // than tracing).
      const turns = new Map([
        [on, { id: onId, ms: [], events: [] }],
        [off, { id: offId, ms: [], events: [] }],
      ]);
      // Server CPU over the measured turns: unlike wall time, barely moved by other load on the machine.
      const cpu0 = { on: cpuSeconds(on.pid), off: cpuSeconds(off.pid) };
      // Alternating (and swapping who goes first) spreads the machine's noise over both.
      for (let i = 0; i < size.tracingRepeats; i++) {
        const pair = i % 2 === 0 ? [off, on] : [on, off];
        for (const server of pair) {
          const runs = turns.get(server);
          const turn = await timedTurn(server.url, runs.id, text);
          runs.ms.push(turn.ms);
          runs.events.push(turn.events);
        }
      }
      const cpuMs = {
        on: ((cpuSeconds(on.pid) - cpu0.on) * 1000) / size.tracingRepeats,
        off: ((cpuSeconds(off.pid) - cpu0.off) * 1000) / size.tracingRepeats,
      };
      const offMedian = median(turns.get(off).ms);
      const onMedian = median(turns.get(on).ms);
      const ratio = onMedian / offMedian;
      rows.push({
        scenario: 'tracing overhead',
        metric: `${label}, tracing on`,
        value: onMedian,
        unit: 'ms',
        baseline: offMedian,
        ratio,
        floor: 'ratio <= 1.05',
        met: ratio <= 1.05,
        runs: size.tracingRepeats,
        eventsOn: median(turns.get(on).events),
        eventsOff: median(turns.get(off).events),
      });
      rows.push({
        scenario: 'tracing overhead',
        metric: `${label}, tracing on: server CPU per turn`,
        value: cpuMs.on,
        unit: 'ms',
        baseline: cpuMs.off,
        ratio: cpuMs.off > 0 ? cpuMs.on / cpuMs.off : null,
        floor: 'ratio <= 1.05',
        met: cpuMs.off > 0 && cpuMs.on / cpuMs.off <= 1.05,
        runs: size.tracingRepeats,
      });
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
