import { AegisError } from '../errors.js';

/** Most stages one pipeline may have. */
export const PIPELINE_MAX_STAGES = 50;

/**
 * Checks a stage graph: unique names, `dependsOn` naming existing stages, no cycles. Throws
 * `VALIDATION_FAILED` with a message that names the offending stages.
 */
export function validateStageGraph(
  stages: readonly { name: string; dependsOn?: readonly string[] | undefined }[],
): void {
  if (stages.length < 1 || stages.length > PIPELINE_MAX_STAGES) {
    throw AegisError.validation(`A pipeline has 1 to ${PIPELINE_MAX_STAGES} stages; got ${stages.length}.`);
  }
  const names = new Set<string>();
  for (const s of stages) {
    if (names.has(s.name)) {
      throw AegisError.validation(
        `Stage name "${s.name}" is used more than once; stage names must be unique.`,
        {
          stage: s.name,
        },
      );
    }
    names.add(s.name);
  }
  for (const s of stages) {
    for (const dep of s.dependsOn ?? []) {
      if (!names.has(dep)) {
        throw AegisError.validation(
          `Stage "${s.name}" depends on "${dep}", which is not a stage of this pipeline (stages: ${[...names].join(', ')}).`,
          { stage: s.name, dependsOn: dep },
        );
      }
    }
  }
  const cycle = findCycle(stages);
  if (cycle) {
    throw AegisError.validation(
      `Stages form a dependency cycle (each depends on the next): ${cycle.join(' → ')}; remove one of these dependencies so the pipeline can start.`,
      { cycle },
    );
  }
}

/** A dependency cycle as a path that ends where it starts, or undefined. */
function findCycle(
  stages: readonly { name: string; dependsOn?: readonly string[] | undefined }[],
): string[] | undefined {
  const deps = new Map(stages.map((s) => [s.name, [...new Set(s.dependsOn ?? [])]]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const st = state.get(name);
    if (st === 'done') return undefined;
    if (st === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const d of deps.get(name) ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of stages) {
    const found = visit(s.name);
    if (found) return found;
  }
  return undefined;
}
