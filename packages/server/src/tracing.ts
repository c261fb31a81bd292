import { context, propagation, type TracerProvider, trace } from '@opentelemetry/api';
import type { Sampler } from '@opentelemetry/sdk-trace-node';
import { type TracingConfig, tracesUrlOf } from './tracing-config.js';

/** A running OpenTelemetry SDK: the provider spans go to, and how to flush and stop it. */
export interface RunningTracing {
  /** Where spans are exported. */
  readonly url: string;
  readonly tracerProvider: TracerProvider;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /** Exports what is left, then unregisters the SDK (the API goes back to no-op). */
  shutdown(): Promise<void>;
}

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
  const [sdk, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const ratio = config.samplerArg ?? 1;
  const samplers: Record<TracingConfig['sampler'], () => Sampler> = {
    always_on: () => new sdk.AlwaysOnSampler(),
    always_off: () => new sdk.AlwaysOffSampler(),
    traceidratio: () => new sdk.TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    parentbased_always_off: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }),
    parentbased_traceidratio: () =>
      new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio) }),
  };
  const exporter = new OTLPTraceExporter({ url, headers: config.headers });
  const provider = new sdk.NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': config.serviceName,
      'service.version': resource.version,
      ...(resource.instanceId ? { 'service.instance.id': resource.instanceId } : {}),
    }),
    sampler: samplers[config.sampler](),
    spanProcessors: [new sdk.BatchSpanProcessor(exporter)],
  });
  provider.register();
  let stopped: Promise<void> | undefined;
  return {
    url,
    tracerProvider: provider,
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopped ??= provider.shutdown().finally(() => {
        trace.disable();
        context.disable();
        propagation.disable();
      });
      return stopped;
    },
  };
}
