import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AegisClient } from './client.js';

const spec = JSON.parse(readFileSync(new URL('../../../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { operationId?: string }>>;
};
const operationIds = Object.values(spec.paths)
  .flatMap((item) => Object.values(item))
  .map((op) => op.operationId)
  .filter((id): id is string => typeof id === 'string')
  .sort();

describe('AegisClient covers openapi.json', () => {
  it('the spec names its operations', () => {
    expect(operationIds.length).toBeGreaterThan(40);
  });

  it('has a method for every operationId', () => {
    const proto = AegisClient.prototype as unknown as Record<string, unknown>;
    expect(operationIds.filter((id) => typeof proto[id] !== 'function')).toEqual([]);
  });
});
