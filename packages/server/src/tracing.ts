import { type TracingConfig, tracesUrlOf } from './tracing-config.js';
import type { RunningTracing } from './tracing-sdk.js';

export type { RunningTracing } from './tracing-sdk.js';

/**
 * Starts the OpenTelemetry SDK when `config` names an OTLP endpoint, and registers it globally
 * (tracer provider, async-hooks context manager, W3C trace-context propagator). Returns `null` when
 * tracing is off: then nothing of the SDK is even loaded.
 */
export async function startTracing(
  config: TracingConfig,
  resource: { version: string; instanceId?: string | undefined },
): Promise<RunningTracing | null> {
  const url = tracesUrlOf(config);
  if (!url) return null;
  return (await import('./tracing-sdk.js')).registerTracing(url, config, resource);
}
