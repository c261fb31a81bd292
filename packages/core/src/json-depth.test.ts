import { describe, expect, it } from 'vitest';
import { jsonTextDepthExceeds, valueDepthExceeds } from './json-depth.js';

const nested = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

describe('JSON nesting limits', () => {
  it('measures text without recursion, even 1,000,000 deep', () => {
    expect(jsonTextDepthExceeds(nested(100))).toBe(false);
    expect(jsonTextDepthExceeds(nested(101))).toBe(true);
    expect(jsonTextDepthExceeds(nested(1_000_000))).toBe(true);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonTextDepthExceeds(JSON.stringify({ a: '['.repeat(500), b: '\\"[[[[' }), 2)).toBe(false);
    expect(jsonTextDepthExceeds('{"a":{"b":[1]}}', 2)).toBe(true);
  });

  it('measures parsed values without recursion', () => {
    expect(valueDepthExceeds(JSON.parse(nested(100)))).toBe(false);
    expect(valueDepthExceeds(JSON.parse(nested(6000)))).toBe(true);
    expect(valueDepthExceeds({ a: { b: 1 }, c: [1] }, 2)).toBe(false);
    expect(valueDepthExceeds({ a: { b: 1 }, c: [[]] }, 2)).toBe(true);
    expect(valueDepthExceeds({ a: { b: {} } }, 2)).toBe(true);
    expect(valueDepthExceeds('text')).toBe(false);
  });
});
