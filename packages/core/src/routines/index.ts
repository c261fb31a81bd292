export {
  checkTimezone,
  fieldError,
  parseSchedule,
  previewSchedule,
  type Schedule,
} from './schedule.js';
export {
  createRoutineScheduler,
  type RoutineScheduler,
  type RoutineSchedulerOptions,
  type RoutineTargets,
  realClock,
  type SchedulerClock,
} from './scheduler.js';
export {
  type Routine,
  RoutineCatchUp,
  RoutineFields,
  type RoutineInput,
  RoutineOverlap,
  RoutineRun,
  RoutineRunOutcome,
  type RoutineTarget,
  type RoutineTrigger,
} from './schemas.js';
export {
  createRoutineService,
  ownerActor,
  type RoutinePatch,
  type RoutineService,
  type SchedulerStartOptions,
} from './service.js';
export { createMemoryRoutineStore, type RoutineStore } from './store.js';
export { type EngineTargetDeps, engineTargets, targetSessionSpec } from './targets.js';
