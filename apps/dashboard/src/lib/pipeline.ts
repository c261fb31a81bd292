import type { CreatePipelineRequest, Pipeline, PipelineList } from '@aegis/client';
import { t } from '../i18n/index.js';

export type PipelineStage = Pipeline['stages'][number];
export type StageStatus = PipelineStage['status'];

export interface StageLayout {
  /** Stages by column: column n holds the stages whose longest dependency chain has n links. */
  columns: PipelineStage[][];
  /** Dependency edges, from → to, by stage name. */
  edges: { from: string; to: string }[];
  /** Dependencies naming no stage of the pipeline (shown, never fatal). */
  missing: { stage: string; dependsOn: string }[];
}

/**
 * Lays the stage graph out left to right: a stage sits one column after its deepest dependency.
 * Cycles (the server refuses them, but be safe) and unknown dependencies are cut, not looped on.
 * Within a column stages keep their order in the pipeline.
 */
export function layoutStages(stages: readonly PipelineStage[]): StageLayout {
  const byName = new Map(stages.map((s) => [s.name, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const missing: StageLayout['missing'] = [];
  const edges: StageLayout['edges'] = [];
  const depthOf = (s: PipelineStage): number => {
    const known = depth.get(s.name);
    if (known !== undefined) return known;
    if (visiting.has(s.name)) return 0; // a cycle: cut here
    visiting.add(s.name);
    let d = 0;
    for (const dep of s.dependsOn) {
      const parent = byName.get(dep);
      if (parent) d = Math.max(d, depthOf(parent) + 1);
    }
    visiting.delete(s.name);
    depth.set(s.name, d);
    return d;
  };
  const columns: PipelineStage[][] = [];
  for (const s of stages) {
    const d = depthOf(s);
    (columns[d] ??= []).push(s);
    for (const dep of s.dependsOn) {
      if (byName.has(dep)) edges.push({ from: dep, to: s.name });
      else missing.push({ stage: s.name, dependsOn: dep });
    }
  }
  return { columns: columns.filter(Boolean), edges, missing };
}

/** Counts of stages per status, in a fixed order, leaving out zeros. */
export function stageCounts(stages: readonly PipelineStage[]): [StageStatus, number][] {
  const order: StageStatus[] = ['completed', 'running', 'pending', 'failed', 'skipped'];
  const n = new Map<StageStatus, number>();
  for (const s of stages) n.set(s.status, (n.get(s.status) ?? 0) + 1);
  return order.filter((st) => n.get(st)).map((st) => [st, n.get(st)!]);
}

export function stageTone(s: StageStatus | Pipeline['status']): string {
  return s === 'completed'
    ? 'ok'
    : s === 'failed'
      ? 'bad'
      : s === 'running'
        ? 'busy'
        : s === 'skipped'
          ? 'muted'
          : 'attn';
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Reads the create form: a pipeline name and its stages as JSON (an array of
 * `{ name, spec: { workDir, prompt, … }, dependsOn? }`, or `{ stages: [...] }`). Returns the request,
 * or the first problem in words. The server validates again; this catches typos before a round trip.
 */
export function parsePipelineForm(
  name: string,
  stagesJson: string,
): { ok: true; request: CreatePipelineRequest } | { ok: false; error: string } {
  const n = name.trim();
  if (!n) return { ok: false, error: t('pipeline.err.name') };
  if (!NAME.test(n) || n.length > 100)
    return {
      ok: false,
      error: t('pipeline.err.nameChars'),
    };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stagesJson);
  } catch (err) {
    return { ok: false, error: t('pipeline.err.json', { why: (err as Error).message }) };
  }
  const list =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed) && 'stages' in parsed
      ? (parsed as { stages: unknown }).stages
      : parsed;
  if (!Array.isArray(list) || list.length === 0) return { ok: false, error: t('pipeline.err.array') };
  const names = new Set<string>();
  for (const [i, raw] of list.entries()) {
    const n = i + 1;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      return { ok: false, error: t('pipeline.err.object', { n }) };
    const st = raw as { name?: unknown; spec?: unknown; dependsOn?: unknown };
    if (typeof st.name !== 'string' || !NAME.test(st.name))
      return { ok: false, error: t('pipeline.err.stageName', { n }) };
    if (names.has(st.name)) return { ok: false, error: t('pipeline.err.twice', { stage: st.name }) };
    names.add(st.name);
    const spec = st.spec as { workDir?: unknown } | undefined;
    if (!spec || typeof spec !== 'object' || typeof spec.workDir !== 'string' || !spec.workDir)
      return {
        ok: false,
        error: t('pipeline.err.spec', { stage: st.name }),
      };
    if (
      st.dependsOn !== undefined &&
      (!Array.isArray(st.dependsOn) || st.dependsOn.some((d) => typeof d !== 'string'))
    )
      return { ok: false, error: t('pipeline.err.dependsOn', { stage: st.name }) };
  }
  for (const st of list as { name: string; dependsOn?: string[] }[]) {
    for (const d of st.dependsOn ?? []) {
      if (!names.has(d))
        return { ok: false, error: t('pipeline.err.unknownDep', { stage: st.name, dep: d }) };
      if (d === st.name) return { ok: false, error: t('pipeline.err.self', { stage: st.name }) };
    }
  }
  return { ok: true, request: { name: n, stages: list as CreatePipelineRequest['stages'] } };
}

/** A starting point for the JSON box: two stages, the second after the first. */
export function exampleStages(workDir: string): string {
  const dir = workDir || '/abs/path/to/repo';
  return JSON.stringify(
    [
      { name: 'build', spec: { workDir: dir, prompt: 'Build the project' } },
      { name: 'test', spec: { workDir: dir, prompt: 'Run the tests' }, dependsOn: ['build'] },
    ],
    null,
    2,
  );
}

/** Every pipeline, following pages (the API caps a page at 100). */
export async function listAllPipelines(
  list: (q: { page: number; limit: number }) => Promise<PipelineList>,
  maxPages = 10,
): Promise<Pipeline[]> {
  const out: Pipeline[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const res = await list({ page, limit: 100 });
    out.push(...res.pipelines);
    if (out.length >= res.total || res.pipelines.length === 0) break;
  }
  return out;
}
