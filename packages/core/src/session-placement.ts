import { type ClusterNodeRuntime, elsewhere } from './cluster.js';
import { AegisError } from './errors.js';
import type { LiveSession } from './live-session.js';
import type { Session } from './schemas.js';
import type { Actor, CreateSessionInput } from './sessions-api-types.js';
import type { AegisStore } from './store.js';

export interface CapacityOptions {
  /** The live sessions, by id. */
  live: Map<string, LiveSession>;
  /** `maxResidentAgents`; `Number.POSITIVE_INFINITY` for no limit. */
  maxResident: number;
  /** `idleEvictMs`, reported by `residency()`. */
  idleEvictMs: number;
}

/** Agent processes against `maxResidentAgents`, and sessions kept without one (`aegis.residency()`). */
export interface AgentResidency {
  /** Sessions with an agent process (starting, up, or being evicted). */
  resident: number;
  /** Sessions kept without one: the next prompt starts it again. */
  dormant: number;
  /** `null`: no limit. */
  maxResidentAgents: number | null;
  idleEvictMs: number;
}

/**
 * The agent processes this node runs, against `maxResidentAgents`: room for one more is made by
 * evicting the least recently used idle session, or refused with `CAPACITY_EXHAUSTED`.
 */
export function createCapacity({ live, maxResident, idleEvictMs }: CapacityOptions) {
  function residentCount(except?: LiveSession): number {
    let n = 0;
    for (const s of live.values()) if (s !== except && s.holdsProcess) n += 1;
    return n;
  }

  /** The idle resident session used least recently: what is evicted to make room. */
  function leastRecentlyUsed(except?: LiveSession): LiveSession | undefined {
    let best: LiveSession | undefined;
    for (const s of live.values()) {
      if (s === except || !s.evictable) continue;
      if (!best || s.lastEventAt < best.lastEventAt) best = s;
    }
    return best;
  }

  function capacityError(): AegisError {
    return new AegisError(
      'CAPACITY_EXHAUSTED',
      `All ${maxResident} agent processes this server may run (maxResidentAgents) are busy with running turns or waits for a person; none is idle to evict.`,
      {
        details: {
          maxResidentAgents: maxResident,
          retryAfter: 5,
          hint: 'Retry in a few seconds, or raise maxResidentAgents if the machine has memory for more agents (about 450 MiB each).',
        },
      },
    );
  }

  /** Refuses at once (429) when a new agent process could not get room; else room will be made. */
  function checkRoom(requester?: LiveSession): void {
    if (residentCount(requester) >= maxResident && !leastRecentlyUsed(requester)) throw capacityError();
  }

  /** Evicts least recently used idle sessions until `requester` fits under `maxResidentAgents`. */
  async function makeRoom(requester: LiveSession): Promise<void> {
    while (residentCount(requester) >= maxResident) {
      const victim = leastRecentlyUsed(requester);
      if (!victim) throw capacityError();
      await victim.evict(
        `room was needed for another session's agent (maxResidentAgents ${maxResident}); this one was the least recently used idle session`,
      );
    }
  }

  /** Sessions with a running turn. */
  function busyCount(): number {
    let n = 0;
    for (const s of live.values()) if (s.busy) n += 1;
    return n;
  }

  function residency(): AgentResidency {
    let dormant = 0;
    for (const s of live.values()) if (s.dormant) dormant += 1;
    return {
      resident: residentCount(),
      dormant,
      maxResidentAgents: Number.isFinite(maxResident) ? maxResident : null,
      idleEvictMs,
    };
  }

  return { residentCount, checkRoom, makeRoom, busyCount, residency };
}

/**
 * An idle session of the same owner in the same folder is reused, unless the request asks for
 * something it does not have: another agent, model or permission mode, its own env or policies.
 */
export function reusable(
  s: Session,
  workDir: string,
  input: CreateSessionInput,
  actor: Actor,
  /** The sandbox a create without its own `sandbox` gets: the session must have the same. */
  sandbox: Session['sandbox'] = null,
): boolean {
  if (s.workDir !== workDir || s.ownerId !== actor.id || s.status !== 'idle') return false;
  if (input.sandbox !== undefined || JSON.stringify(s.sandbox ?? null) !== JSON.stringify(sandbox))
    return false;
  if (input.agent !== undefined && input.agent !== s.agent) return false;
  if (input.model !== undefined && input.model !== s.model) return false;
  if (input.permissionMode !== undefined && input.permissionMode !== s.permissionMode) return false;
  if (input.parentId !== undefined && input.parentId !== s.parentId) return false;
  return input.env === undefined && input.policies === undefined;
}

export function reuseKey(workDir: string, input: CreateSessionInput, actor: Actor): string | null {
  if (
    input.env !== undefined ||
    input.policies !== undefined ||
    input.parentId !== undefined ||
    input.sandbox !== undefined
  )
    return null;
  return JSON.stringify([
    actor.id,
    workDir,
    input.agent ?? null,
    input.model ?? null,
    input.permissionMode ?? null,
  ]);
}

/** An idle session `create` would reuse that another node owns (cluster). */
export async function reusableElsewhere(
  store: AegisStore,
  live: Map<string, LiveSession>,
  workDir: string,
  input: CreateSessionInput,
  actor: Actor,
  sandbox: Session['sandbox'] = null,
) {
  if (reuseKey(workDir, input, actor) === null) return undefined;
  const { sessions: idle } = await store.listSessions({
    status: ['idle'],
    workDir,
    ownerId: actor.id ?? undefined,
    limit: 20,
    offset: 0,
  });
  return idle.find((s) => !live.has(s.id) && s.node && reusable(s, workDir, input, actor, sandbox)) as
    | (Session & { node: string })
    | undefined;
}

/** In a cluster: where a new session goes when this node is draining or full (none: `null`). */
export async function placeElsewhere(
  cluster: ClusterNodeRuntime | null,
  actor: Actor,
  why: 'draining' | 'full',
): Promise<void> {
  if (!cluster || actor.forwarded) return;
  const node = await cluster.nodeWithRoom();
  if (node) throw elsewhere(null, node.id, node.address);
  if (why === 'full') {
    throw new AegisError(
      'CAPACITY_EXHAUSTED',
      'Every node of the cluster runs its maximum of agent processes (maxResidentAgents) with running turns or waits for a person; none has room.',
      { details: { retryAfter: 5, hint: 'Retry in a few seconds, or add a node.' } },
    );
  }
}
