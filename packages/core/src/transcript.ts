import { z } from 'zod';
import { Decider, PlanEntry } from './events.js';
import { PermissionOption, ToolContent, ToolKind, ToolLocation } from './schemas.js';

export const TranscriptRole = z
  .enum(['user', 'assistant', 'thought', 'tool', 'permission', 'plan', 'system'])
  .meta({ id: 'TranscriptRole' });
export type TranscriptRole = z.infer<typeof TranscriptRole>;

/**
 * One finished entry of a session's transcript. `id` is stable and increases with time across the
 * whole store, so cursors over it never skip or repeat an entry.
 */
export const TranscriptEntry = z
  .object({
    id: z.number().int(),
    sessionId: z.string(),
    seq: z.number().int().describe('seq of the event that finished this entry'),
    at: z.string(),
    role: TranscriptRole,
    text: z.string(),
    tool: z
      .object({
        toolCallId: z.string(),
        title: z.string(),
        kind: z.union([ToolKind, z.null()]),
        status: z.string(),
        input: z.unknown().optional(),
        output: z.unknown().optional(),
        content: z.array(ToolContent),
        locations: z.array(ToolLocation),
      })
      .optional(),
    permission: z
      .object({
        requestId: z.string(),
        title: z.string(),
        options: z.array(PermissionOption),
        outcome: z.enum(['selected', 'cancelled']),
        optionKind: z.string().nullable(),
        decidedBy: Decider,
      })
      .optional(),
    plan: z.array(PlanEntry).optional(),
  })
  .meta({ id: 'TranscriptEntry' });
export type TranscriptEntry = z.infer<typeof TranscriptEntry>;
export type TranscriptEntryDraft = Omit<TranscriptEntry, 'id'>;

/** A page of the transcript by cursor: `messages` in order, and where to go on from. */
export const TranscriptPage = z
  .object({
    messages: z.array(TranscriptEntry),
    has_more: z.boolean(),
    oldest_id: z.number().int().nullable(),
    newest_id: z.number().int().nullable(),
  })
  .meta({ id: 'TranscriptPage' });
export type TranscriptPage = z.infer<typeof TranscriptPage>;
