import type { Aegis, TurnUsage } from '@aegis/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LONG_SECONDS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * The server's Prometheus metrics on their own registry (so several apps in one process, as in
 * tests, never collide): sessions by state, turns, turn duration, permission and question waits,
 * events by type, and HTTP request duration by route and status. Event series are fed from the
 * engine's durable event stream.
 */
export function createMetrics(aegis: Aegis) {
  const registry = new Registry();
  // The standard process series (CPU, resident memory, heap, event-loop lag, open fds).
  collectDefaultMetrics({ register: registry });
  const prefix = 'aegis_';
  new Gauge({
    name: `${prefix}sessions`,
    help: 'Sessions in the store by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await aegis.sessions.countByStatus();
      for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
    },
  });
  new Gauge({
    name: `${prefix}live_sessions`,
    help: 'Sessions with a running agent process',
    registers: [registry],
    collect() {
      this.set(aegis.liveCount);
    },
  });
  new Gauge({
    name: `${prefix}resident_agents`,
    help: 'Agent processes up (or starting), against maxResidentAgents',
    registers: [registry],
    collect() {
      this.set(aegis.residency().resident);
    },
  });
  new Gauge({
    name: `${prefix}dormant_sessions`,
    help: 'Live sessions kept without an agent process (evicted when idle, or after a restart)',
    registers: [registry],
    collect() {
      this.set(aegis.residency().dormant);
    },
  });
  new Gauge({
    name: `${prefix}max_resident_agents`,
    help: 'The limit on agent processes at once (absent: no limit)',
    registers: [registry],
    collect() {
      const max = aegis.residency().maxResidentAgents;
      if (max !== null) this.set(max);
    },
  });
  const evictions = new Counter({
    name: `${prefix}agent_evictions_total`,
    help: 'Agent processes closed to free memory (idle, room needed, shutdown)',
    registers: [registry],
  });
  const resumes = new Counter({
    name: `${prefix}agent_resumes_total`,
    help: 'Agent processes that took a dormant session on, by how the conversation came back',
    labelNames: ['via'],
    registers: [registry],
  });
  const resumeLatency = new Histogram({
    name: `${prefix}agent_resume_seconds`,
    help: 'From the prompt that woke a dormant session to its agent being ready',
    buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
    registers: [registry],
  });
  const turns = new Counter({
    name: `${prefix}turns_total`,
    help: 'Finished turns by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const turnDuration = new Histogram({
    name: `${prefix}turn_duration_seconds`,
    help: 'Duration of finished turns',
    buckets: LONG_SECONDS,
    registers: [registry],
  });
  const permissionWait = new Histogram({
    name: `${prefix}permission_wait_seconds`,
    help: 'Time permission requests waited for a decision, by who decided',
    labelNames: ['decided_by'],
    buckets: LONG_SECONDS,
    registers: [registry],
  });
  const questionWait = new Histogram({
    name: `${prefix}question_wait_seconds`,
    help: 'Time agent questions waited for an answer',
    buckets: LONG_SECONDS,
    registers: [registry],
  });
  const events = new Counter({
    name: `${prefix}events_total`,
    help: 'Durable events by type',
    labelNames: ['type'],
    registers: [registry],
  });
  const http = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: SECONDS,
    registers: [registry],
  });

  const usageTokens = new Counter({
    name: `${prefix}usage_tokens_total`,
    help: 'Tokens used by finished turns (the usage ledger), by kind and model',
    labelNames: ['kind', 'model'],
    registers: [registry],
  });
  const usageCost = new Counter({
    name: `${prefix}usage_cost_usd_total`,
    help: 'US dollars spent by finished turns (agent-reported, else priced), by model and where the figure came from',
    labelNames: ['model', 'source'],
    registers: [registry],
  });
  const budgetEvents = new Counter({
    name: `${prefix}budget_events_total`,
    help: 'Budget warnings and stops, by event and limit',
    labelNames: ['event', 'limit'],
    registers: [registry],
  });
  const countUsage = (u: TurnUsage | undefined) => {
    if (!u) return;
    const model = u.model ?? 'unknown';
    usageTokens.inc({ kind: 'input', model }, u.inputTokens);
    usageTokens.inc({ kind: 'output', model }, u.outputTokens);
    usageTokens.inc({ kind: 'cache_read', model }, u.cachedReadTokens);
    usageTokens.inc({ kind: 'cache_write', model }, u.cachedWriteTokens);
    if (u.costUsd !== null) usageCost.inc({ model, source: u.costSource }, u.costUsd);
  };

  const unsubscribe = aegis.subscribe((event) => {
    events.inc({ type: event.type });
    switch (event.type) {
      case 'turn.completed':
        turns.inc({ outcome: event.data.stopReason === 'cancelled' ? 'cancelled' : 'completed' });
        turnDuration.observe(event.data.durationMs / 1000);
        countUsage(event.data.usage);
        break;
      case 'turn.failed':
        turns.inc({ outcome: event.data.rateLimited ? 'rate_limited' : 'failed' });
        turnDuration.observe(event.data.durationMs / 1000);
        countUsage(event.data.usage);
        break;
      case 'budget.warning':
      case 'budget.exceeded':
        budgetEvents.inc({ event: event.type.slice(7), limit: event.data.limit });
        break;
      case 'permission.resolved':
        permissionWait.observe({ decided_by: event.data.decidedBy.type }, event.data.waitedMs / 1000);
        break;
      case 'question.answered':
        questionWait.observe(event.data.waitedMs / 1000);
        break;
      case 'agent.evicted':
        evictions.inc();
        break;
      case 'agent.resumed':
        resumes.inc({ via: event.data.via });
        resumeLatency.observe(event.data.durationMs / 1000);
        break;
      default:
        break;
    }
  });

  return {
    registry,
    /** Records one HTTP request; `route` is the matched route pattern, never the raw path. */
    observeRequest(method: string, route: string, status: number, seconds: number) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
    close: unsubscribe,
  };
}
export type AegisMetrics = ReturnType<typeof createMetrics>;
