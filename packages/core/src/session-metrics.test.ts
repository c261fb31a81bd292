import { describe, expect, it } from 'vitest';
import { latencyStats } from './session-metrics.js';

describe('latencyStats', () => {
  it('uses nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyStats(samples)).toEqual({ count: 100, p50: 50, p95: 95, max: 100, mean: 50.5 });
  });
  it('is all nulls without samples', () => {
    expect(latencyStats([])).toEqual({ count: 0, p50: null, p95: null, max: null, mean: null });
  });
});
