import { AegisError } from '../errors.js';
import type { Session } from '../schemas.js';
import type {
  Actor,
  CreateSessionInput,
  CreateSessionResult,
  PromptDelivery,
} from '../sessions-api-types.js';
import type { SessionSpecInput, TemplateService } from './templates.js';

/** Most sessions one batch may create or delete. */
export const BATCH_MAX = 50;

export interface ItemError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export interface BatchCreateItem {
  index: number;
  ok: boolean;
  session?: Session;
  reused?: boolean;
  promptDelivery?: PromptDelivery | null;
  error?: ItemError;
}

export interface BatchDeleteItem {
  index: number;
  id: string;
  ok: boolean;
  session?: Session;
  error?: ItemError;
}

interface SessionsApi {
  create(input: CreateSessionInput, actor: Actor): Promise<CreateSessionResult>;
  kill(id: string, actor: Actor): Promise<Session>;
}

const itemError = (err: unknown): ItemError => AegisError.fromUnknown(err).toJSON().error;

/** Creates or kills many sessions at once; each item succeeds or fails on its own. */
export function createBatchService(deps: { sessions: SessionsApi; templates: TemplateService }) {
  function checkSize(n: number) {
    if (n < 1 || n > BATCH_MAX) {
      throw AegisError.validation(
        `A batch holds 1 to ${BATCH_MAX} items; got ${n}. Split it into several requests.`,
      );
    }
  }
  return {
    /** Starts every session concurrently; results come back in request order. */
    async create(specs: SessionSpecInput[], actor: Actor): Promise<BatchCreateItem[]> {
      checkSize(specs.length);
      return Promise.all(
        specs.map(async (spec, index): Promise<BatchCreateItem> => {
          try {
            const input = await deps.templates.resolve(spec, actor);
            const r = await deps.sessions.create(input, actor);
            return {
              index,
              ok: true,
              session: r.session,
              reused: r.reused,
              promptDelivery: r.promptDelivery,
            };
          } catch (err) {
            return { index, ok: false, error: itemError(err) };
          }
        }),
      );
    },
    async kill(ids: string[], actor: Actor): Promise<BatchDeleteItem[]> {
      checkSize(ids.length);
      return Promise.all(
        ids.map(async (id, index): Promise<BatchDeleteItem> => {
          try {
            return { index, id, ok: true, session: await deps.sessions.kill(id, actor) };
          } catch (err) {
            return { index, id, ok: false, error: itemError(err) };
          }
        }),
      );
    },
  };
}

/** `aegis.batch`: create or kill many sessions in one call. */
export type BatchService = ReturnType<typeof createBatchService>;
