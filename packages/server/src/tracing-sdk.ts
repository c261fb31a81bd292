import { context, propagation, type TracerProvider, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import * as sdk from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from './tracing-config.js';

/*
 * The OpenTelemetry SDK, loaded by `startTracing` only when tracing is on. Its packages are
 * CommonJS, so they are imported statically here rather than with import(): bundled (`ag`), a
 * dynamic import of CommonJS gives only its `default`.
 */

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

/** Registers the SDK globally, exporting to `url`. */
export function registerTracing(
  url: string,
  config: TracingConfig,
  resource: { version: string; instanceId?: string | undefined },
): RunningTracing {
  const ratio = config.samplerArg ?? 1;
  const samplers: Record<TracingConfig['sampler'], () => sdk.Sampler> = {
    always_on: () => new sdk.AlwaysOnSampler(),
    always_off: () => new sdk.AlwaysOffSampler(),
    traceidratio: () => new sdk.TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    parentbased_always_off: () => new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() }),
    parentbased_traceidratio: () =>
      new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(ratio) }),
  };
  const Exporter = config.protocol === 'http/json' ? JsonTraceExporter : ProtobufTraceExporter;
  const exporter = new Exporter({ url, headers: config.headers });
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
