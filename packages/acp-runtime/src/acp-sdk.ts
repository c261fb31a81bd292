/**
 * The ACP SDK, imported when the first agent connects. Importing it builds its zod schemas (~40 ms
 * of CPU and ~7 MiB of memory here), which a server that has not started an agent yet never
 * needs: `ag serve` answers its health check that much sooner (docs/benchmarks.md).
 */
let sdk: Promise<typeof import('@agentclientprotocol/sdk')> | undefined;

export const loadAcpSdk = (): Promise<typeof import('@agentclientprotocol/sdk')> =>
  (sdk ??= import('@agentclientprotocol/sdk'));
