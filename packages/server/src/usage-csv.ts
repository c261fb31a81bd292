import type { UsageDimension, UsageGroup } from '@aegis/core';
import { csvCell } from './routes/audit.js';

const SUMS = [
  'turns',
  'inputTokens',
  'outputTokens',
  'cachedReadTokens',
  'cachedWriteTokens',
  'totalTokens',
  'costUsd',
  'durationMs',
  'toolCalls',
] as const;

/** Usage groups as CSV: the grouping columns, then the sums; one row per group. */
export function usageCsv(groupBy: UsageDimension[], groups: UsageGroup[]): string {
  const lines = [[...groupBy, ...SUMS].join(',')];
  for (const g of groups) {
    const row = g as Record<string, unknown>;
    lines.push([...groupBy, ...SUMS].map((k) => csvCell(row[k])).join(','));
  }
  return `${lines.join('\n')}\n`;
}
