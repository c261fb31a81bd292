/**
 * `@aegis/server/young-generation`: keeps V8's young generation small while a server loads.
 *
 * V8 grows the young generation (the nursery new objects start in) when many of them survive a
 * scavenge, which is what loading code looks like: every module, route schema and table built at
 * start-up lives on. Loading `@aegis/server` grew it to 32 MiB (two 16 MiB semi-spaces), and an
 * idle server kept those pages resident until V8's memory reducer ran, seconds to minutes later.
 * Held, it stays at 2–4 MiB: `ag serve` measured 99 → 88 MiB RSS two seconds after its first
 * session, with no slower start (docs/benchmarks.md). Once released, V8 grows it under load as
 * before (the same RSS with 500 idle sessions, the same event throughput).
 *
 * `ag serve` holds it from its first line and releases it once the server listens. A process whose
 * own flags or `NODE_OPTIONS` size the young generation is left alone.
 *
 * @example
 * import { holdYoungGeneration, releaseYoungGeneration } from '@aegis/server/young-generation';
 * holdYoungGeneration();
 * const { startServer } = await import('@aegis/server');
 * const server = await startServer();
 * releaseYoungGeneration();
 */
import { setFlagsFromString } from 'node:v8';

/** V8's default `--semi-space-growth-factor` (Node 20 to 24). */
const DEFAULT_GROWTH_FACTOR = 2;

const sizedByOperator = (): boolean =>
  /semi[-_]space/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);

let held = false;

/** Stops the young generation from growing (until {@link releaseYoungGeneration}). */
export function holdYoungGeneration(): void {
  if (held || sizedByOperator()) return;
  setFlagsFromString('--semi-space-growth-factor=1');
  held = true;
}

/** Lets V8 grow the young generation again as it sees fit. */
export function releaseYoungGeneration(): void {
  if (!held) return;
  setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  held = false;
}
