import { describe, expect, it } from 'vitest';
import { validateStageGraph } from './pipeline-graph.js';

describe('validateStageGraph', () => {
  it('accepts a diamond', () => {
    expect(() =>
      validateStageGraph([
        { name: 'a' },
        { name: 'b', dependsOn: ['a'] },
        { name: 'c', dependsOn: ['a'] },
        { name: 'd', dependsOn: ['b', 'c'] },
      ]),
    ).not.toThrow();
  });

  it.each([
    ['duplicate names', [{ name: 'a' }, { name: 'a' }], 'Stage name "a" is used more than once'],
    [
      'unknown dependency',
      [{ name: 'a', dependsOn: ['x'] }],
      'Stage "a" depends on "x", which is not a stage',
    ],
    ['self dependency', [{ name: 'a', dependsOn: ['a'] }], 'a → a'],
    [
      'three-stage cycle',
      [
        { name: 'a', dependsOn: ['c'] },
        { name: 'b', dependsOn: ['a'] },
        { name: 'c', dependsOn: ['b'] },
      ],
      'a → c → b → a',
    ],
    ['no stages', [], '1 to 50 stages'],
  ])('rejects %s', (_name, stages, message) => {
    expect(() => validateStageGraph(stages)).toThrow(message);
    try {
      validateStageGraph(stages);
    } catch (err) {
      expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});
