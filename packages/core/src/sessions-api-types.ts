import type { PermissionMode, PolicyRule, Session, SessionStatus } from './schemas.js';
import type { TranscriptEntry } from './transcript.js';

export interface CreateSessionInput {
  workDir: string;
  name?: string | undefined;
  prompt?: string | undefined;
  permissionMode?: PermissionMode | undefined;
  model?: string | undefined;
  agent?: string | undefined;
  env?: Record<string, string> | undefined;
  parentId?: string | undefined;
  /** `false`: always start a new session, even when an idle one works in `workDir`. Default true. */
  reuse?: boolean | undefined;
  /** Per-session permission rules; the server's policy is a ceiling (the stricter verdict wins). */
  policies?: PolicyRule[] | undefined;
}

export interface Actor {
  /** Owner identity (an API key id); `null` for the unauthenticated local user. */
  id: string | null;
  /** Admins see every owner's sessions. */
  admin?: boolean;
  /** The caller's role when authenticated by an API key (`admin`, `operator`, `viewer`). */
  role?: string | undefined;
  /**
   * Another node forwarded this request here (cluster): it is handled on this node or refused,
   * never sent on again.
   */
  forwarded?: boolean | undefined;
}

export interface PromptDelivery {
  /** The prompt has been handed to the agent (its turn started). */
  delivered: boolean;
  /** The prompt waits behind a running turn or agent start-up, in order. */
  queued: boolean;
  /** Position in the queue (1 = next), when queued. */
  position: number | null;
  attempts: number;
}

export interface CreateSessionResult {
  session: Session;
  reused: boolean;
  promptDelivery: PromptDelivery | null;
}

export interface ListSessionsInput {
  status?: SessionStatus[] | undefined;
  workDir?: string | undefined;
  page?: number | undefined;
  limit?: number | undefined;
}

export interface TranscriptPage {
  messages: TranscriptEntry[];
  has_more: boolean;
  oldest_id: number | null;
  newest_id: number | null;
}
