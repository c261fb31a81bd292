import type { ConversationPiece, ConversationSnapshot } from './driver.js';
import { AegisError } from './errors.js';
import type { ConversationStore } from './store.js';

/**
 * Appended pieces a session's snapshot may gather before the next capture copies the whole files
 * again (reading a snapshot joins them all).
 */
export const MAX_CONVERSATION_APPENDS = 100;

/** What a store keeps of a snapshot (never the driver's `mark`). */
export interface StoredConversation {
  agentSessionId: string;
  files: ConversationPiece[];
  bytes: number;
  capturedAt: string;
}

export function storedConversation(s: ConversationSnapshot): StoredConversation {
  return { agentSessionId: s.agentSessionId, files: s.files, bytes: s.bytes, capturedAt: s.capturedAt };
}

/** An `append` the store cannot place: there is no snapshot of that agent session to add to. */
export function noConversationToAppendTo(sessionId: string, agentSessionId: string): AegisError {
  return new AegisError(
    'CONFLICT',
    `Session ${sessionId} holds no conversation snapshot of agent session ${agentSessionId} to append to; put the whole snapshot instead.`,
  );
}

/** An in-memory {@link ConversationStore}; `assertOpen` throws once the owning store is closed. */
export function createMemoryConversationStore(assertOpen: () => void = () => {}): ConversationStore {
  const snapshots = new Map<string, StoredConversation>();
  return {
    async get(sessionId) {
      assertOpen();
      const s = snapshots.get(sessionId);
      return s && structuredClone(s);
    },
    async put(sessionId, snapshot) {
      assertOpen();
      snapshots.set(sessionId, structuredClone(storedConversation(snapshot)));
    },
    async append(sessionId, snapshot) {
      assertOpen();
      const held = snapshots.get(sessionId);
      if (held?.agentSessionId !== snapshot.agentSessionId) {
        throw noConversationToAppendTo(sessionId, snapshot.agentSessionId);
      }
      held.files.push(...structuredClone(snapshot.files));
      held.bytes = snapshot.bytes;
      held.capturedAt = snapshot.capturedAt;
    },
  };
}
