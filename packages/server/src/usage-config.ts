import { Budget } from '@aegis/core';
import { z } from 'zod';

const perMTok = z.number().min(0, 'must be 0 or more US dollars per million tokens');

/** A model's price, US dollars per million tokens (cache prices default to the input price). */
const ModelPriceConfig = z
  .object({
    inputPerMTok: perMTok,
    outputPerMTok: perMTok,
    cacheReadPerMTok: perMTok.optional(),
    cacheWritePerMTok: perMTok.optional(),
  })
  .strict();

/**
 * The usage ledger and budgets (config file `usage:`): prices for agents that report no cost, and
 * daily budgets per API key.
 */
export const UsageConfig = z
  .object({
    /** Prices by model id; `*` prices any other model, a key ending in `*` a prefix (`claude-opus-*`). */
    prices: z.record(z.string().min(1).max(200), ModelPriceConfig).default({}),
    /** The daily budget of every key without its own entry in `keyBudgets` (UTC days). */
    keyBudget: Budget.optional(),
    /** Daily budgets by API key id (`local`: the unauthenticated local user). */
    keyBudgets: z.record(z.string().min(1).max(100), Budget).default({}),
  })
  .strict();
export type UsageConfig = z.infer<typeof UsageConfig>;

/** The daily budget of an owner under `config` (`undefined`: none). */
export function keyBudgetOf(config: UsageConfig, ownerId: string | null): Budget | undefined {
  return config.keyBudgets[ownerId ?? 'local'] ?? config.keyBudget;
}
