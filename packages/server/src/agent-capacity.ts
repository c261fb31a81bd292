import { totalmem } from 'node:os';

/** About what one Claude Code agent takes at its peak (ACP-NOTES: 420–450 MiB). */
export const AGENT_PEAK_BYTES = 450 * 1024 * 1024;

/** `maxResidentAgents` by default: what the machine's memory holds at an agent's peak (at least 1). */
export function defaultMaxResidentAgents(memoryBytes = totalmem()): number {
  return Math.max(1, Math.floor(memoryBytes / AGENT_PEAK_BYTES));
}
