import { describe, expect, it } from 'vitest';
import { layoutStages, type PipelineStage, parsePipelineForm, stageCounts } from './pipeline.js';

const st = (
  name: string,
  dependsOn: string[] = [],
  status: PipelineStage['status'] = 'pending',
): PipelineStage => ({
  name,
  status,
  dependsOn,
  sessionId: null,
  startedAt: null,
  endedAt: null,
  error: null,
});

describe('layoutStages', () => {
  it('puts each stage one column after its deepest dependency, keeping pipeline order', () => {
    const l = layoutStages([
      st('lint'),
      st('build'),
      st('test', ['build']),
      st('deploy', ['test', 'lint']),
      st('docs', ['build']),
    ]);
    expect(l.columns.map((c) => c.map((s) => s.name))).toEqual([
      ['lint', 'build'],
      ['test', 'docs'],
      ['deploy'],
    ]);
    expect(l.edges).toContainEqual({ from: 'test', to: 'deploy' });
    expect(l.edges).toContainEqual({ from: 'lint', to: 'deploy' });
    expect(l.edges).toHaveLength(4);
    expect(l.missing).toEqual([]);
  });
  it('handles a dependency listed after its dependant, unknown names and cycles without looping', () => {
    const l = layoutStages([st('b', ['a']), st('a'), st('c', ['ghost'])]);
    expect(l.columns.map((c) => c.map((s) => s.name))).toEqual([['a', 'c'], ['b']]);
    expect(l.missing).toEqual([{ stage: 'c', dependsOn: 'ghost' }]);
    const cyc = layoutStages([st('x', ['y']), st('y', ['x'])]);
    expect(
      cyc.columns
        .flat()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['x', 'y']);
  });
  it('is empty for no stages', () => {
    expect(layoutStages([])).toEqual({ columns: [], edges: [], missing: [] });
  });
});

describe('stageCounts', () => {
  it('counts by status in a fixed order without zeros', () => {
    expect(stageCounts([st('a', [], 'running'), st('b', [], 'completed'), st('c', [], 'completed')])).toEqual(
      [
        ['completed', 2],
        ['running', 1],
      ],
    );
  });
});

describe('parsePipelineForm', () => {
  const good = JSON.stringify([
    { name: 'one', spec: { workDir: '/w', prompt: 'p' } },
    { name: 'two', spec: { workDir: '/w', prompt: 'q' }, dependsOn: ['one'] },
  ]);
  it('accepts an array or { stages } and trims the name', () => {
    const r = parsePipelineForm('  ci  ', good);
    expect(r).toEqual({ ok: true, request: { name: 'ci', stages: JSON.parse(good) } });
    expect(parsePipelineForm('ci', `{"stages":${good}}`).ok).toBe(true);
  });
  it.each([
    ['', good, /name/],
    ['bad name', good, /letters/],
    ['ci', '[', /not valid JSON/],
    ['ci', '[]', /non-empty/],
    ['ci', '[1]', /Stage 1 is not an object/],
    ['ci', '[{"spec":{"workDir":"/w"}}]', /needs a "name"/],
    ['ci', '[{"name":"a"}]', /needs "spec"/],
    ['ci', '[{"name":"a","spec":{"workDir":"/w"}},{"name":"a","spec":{"workDir":"/w"}}]', /Two stages/],
    ['ci', '[{"name":"a","spec":{"workDir":"/w"},"dependsOn":["b"]}]', /which is not a stage/],
    ['ci', '[{"name":"a","spec":{"workDir":"/w"},"dependsOn":["a"]}]', /depends on itself/],
    ['ci', '[{"name":"a","spec":{"workDir":"/w"},"dependsOn":"b"}]', /must be an array/],
  ])('rejects name %j stages %j', (name, json, err) => {
    const r = parsePipelineForm(name, json);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(err);
  });
});
