import { z } from 'zod';

/** The samplers of `OTEL_TRACES_SAMPLER` (the OpenTelemetry SDK's names). */
export const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** The OTLP/HTTP encodings of `OTEL_EXPORTER_OTLP_PROTOCOL`. */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;

/** The values of `OTEL_TRACES_EXPORTER` this server honours. */
const TRACES_EXPORTERS = ['otlp', 'none'] as const;

const httpUrl = (example: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^\s/]+/i, `must be an http(s) URL such as ${example}`)
    .pipe(z.url(`must be an http(s) URL such as ${example}`));

/**
 * OpenTelemetry tracing (config file `tracing:`, or the standard `OTEL_*` variables). Off unless an
 * OTLP endpoint is given; off, no SDK is loaded and spans go to the API's no-op tracer.
 */
export const TracingConfig = z
  .object({
    /** `false` keeps tracing off even with an endpoint (`OTEL_SDK_DISABLED=true`). */
    enabled: z.boolean().optional(),
    /** OTLP/HTTP base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`); spans are sent to `<endpoint>/v1/traces`. */
    endpoint: httpUrl('http://127.0.0.1:4318').optional(),
    /** The full traces URL (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), used as given; wins over `endpoint`. */
    tracesEndpoint: httpUrl('http://127.0.0.1:4318/v1/traces').optional(),
    /** `service.name` of the spans (`OTEL_SERVICE_NAME`). Default `aegis`. */
    serviceName: z.string().min(1).max(200).default('aegis'),
    /** `OTEL_TRACES_SAMPLER`. Default `parentbased_always_on`: a caller's sampling decision is kept. */
    sampler: z
      .enum(TRACES_SAMPLERS, {
        error: `must be one of ${TRACES_SAMPLERS.join(', ')} (OTEL_TRACES_SAMPLER)`,
      })
      .default('parentbased_always_on'),
    /** The ratio of the `*traceidratio` samplers, 0 to 1 (`OTEL_TRACES_SAMPLER_ARG`). Default 1. */
    samplerArg: z.coerce
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, 'must be a number from 0 to 1')
      .max(1, 'must be a number from 0 to 1')
      .optional(),
    /**
     * The OTLP/HTTP encoding (`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`):
     * `http/protobuf` (default, as in the OpenTelemetry SDKs) or `http/json`. gRPC is not offered.
     */
    protocol: z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .pipe(
        z.enum(OTLP_PROTOCOLS, {
          error: (issue) =>
            issue.input === 'grpc'
              ? 'grpc is not offered: use http/protobuf (the OTLP/HTTP port, usually 4318) or http/json'
              : `must be one of ${OTLP_PROTOCOLS.join(', ')} (OTEL_EXPORTER_OTLP_PROTOCOL)`,
        }),
      )
      .default('http/protobuf'),
    /**
     * `OTEL_TRACES_EXPORTER`: `otlp` (the default) or `none` (tracing off even with an endpoint).
     * Spans leave over OTLP/HTTP only; another exporter (zipkin, console…) is refused rather than ignored.
     */
    exporter: z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .pipe(
        z.enum(TRACES_EXPORTERS, {
          error: (issue) =>
            `must be otlp or none (OTEL_TRACES_EXPORTER): Aegis sends spans over OTLP/HTTP only${
              typeof issue.input === 'string' && issue.input !== ''
                ? `; for ${issue.input}, point OTEL_EXPORTER_OTLP_ENDPOINT at an OpenTelemetry Collector that exports to it`
                : ''
            }`,
        }),
      )
      .optional(),
    /** Headers sent with each export (e.g. an API key of the collector); `OTEL_EXPORTER_OTLP_HEADERS` also works. */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type TracingConfig = z.infer<typeof TracingConfig>;

/** Where spans are exported, or `null` when tracing is off. */
export function tracesUrlOf(config: TracingConfig): string | null {
  if (config.enabled === false || config.exporter === 'none') return null;
  if (config.tracesEndpoint) return config.tracesEndpoint;
  if (config.endpoint) return `${config.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return null;
}
