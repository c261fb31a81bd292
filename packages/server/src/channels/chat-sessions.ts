import {
  type Actor,
  type Aegis,
  AegisError,
  type CreateSessionInput,
  type PromptDelivery,
  type Session,
} from '@aegis/core';
import { type PeerTrust, sendAsChatUser } from '../cluster-forward.js';

/** What chat users do to sessions (Telegram and Slack), wherever in the cluster the session runs. */
export interface ChatSessions {
  get(id: string, actor: Actor): Promise<Session>;
  respondPermission(
    id: string,
    answer: { approve: boolean; scope: 'once' | 'always' },
    actor: Actor,
  ): Promise<void>;
  answerQuestion(id: string, reply: { answer: string }, actor: Actor): Promise<void>;
  interrupt(id: string, actor: Actor): Promise<{ interrupted: boolean; droppedPrompts: number }>;
  kill(id: string, actor: Actor): Promise<void>;
  prompt(id: string, text: string, actor: Actor): Promise<PromptDelivery>;
  create(input: CreateSessionInput, actor: Actor): Promise<{ session: Session }>;
}

/**
 * A chat user's actions go to the engine here; on a cluster node, a session another node owns
 * (the engine's `SESSION_ELSEWHERE`) gets the same operation as an API request sent to its owner
 * (`sendAsChatUser`: signed node to node, acting as the chat user with the channel's role), as the
 * HTTP API forwards its own callers' requests. Reads come from the shared store on any node.
 * The channel audits each action with the chat user as the actor, on the node that took it.
 */
export function chatSessions(aegis: Aegis, trust: PeerTrust | undefined): ChatSessions {
  async function onOwner<T>(local: () => Promise<T>, remote: (send: Send) => Promise<T>): Promise<T> {
    try {
      return await local();
    } catch (err) {
      if (!(err instanceof AegisError) || err.code !== 'SESSION_ELSEWHERE' || !trust) throw err;
      const peers = trust;
      return remote((actor, method, path, body) =>
        sendAsChatUser({ aegis, trust: peers, elsewhere: err, actor, method, path, body }),
      );
    }
  }
  const at = (id: string) => `/v1/sessions/${encodeURIComponent(id)}`;

  return {
    get: (id, actor) => aegis.sessions.get(id, actor),
    respondPermission: (id, answer, actor) =>
      onOwner(
        async () => void (await aegis.sessions.respondPermission(id, answer, actor)),
        async (send) =>
          void (await send(actor, 'POST', `${at(id)}/${answer.approve ? 'approve' : 'reject'}`, {
            scope: answer.scope,
          })),
      ),
    answerQuestion: (id, reply, actor) =>
      onOwner(
        async () => void (await aegis.sessions.answerQuestion(id, reply, actor)),
        async (send) => void (await send(actor, 'POST', `${at(id)}/answer`, { answer: reply.answer })),
      ),
    interrupt: (id, actor) =>
      onOwner(
        () => aegis.sessions.interrupt(id, actor),
        async (send) => {
          const r = (await send(actor, 'POST', `${at(id)}/interrupt`)) as {
            interrupted: boolean;
            droppedPrompts: number;
          };
          return { interrupted: r.interrupted, droppedPrompts: r.droppedPrompts };
        },
      ),
    kill: (id, actor) =>
      onOwner(
        async () => void (await aegis.sessions.kill(id, actor)),
        async (send) => void (await send(actor, 'DELETE', at(id))),
      ),
    prompt: (id, text, actor) =>
      onOwner(
        () => aegis.sessions.prompt(id, text, actor),
        async (send) =>
          ((await send(actor, 'POST', `${at(id)}/send`, { text })) as { promptDelivery: PromptDelivery })
            .promptDelivery,
      ),
    // A new session goes to another node when this one is draining or full.
    create: (input, actor) =>
      onOwner(
        () => aegis.sessions.create(input, actor),
        async (send) => ({
          session: ((await send(actor, 'POST', '/v1/sessions', input)) as { session: Session }).session,
        }),
      ),
  };
}

type Send = (actor: Actor, method: 'POST' | 'DELETE', path: string, body?: unknown) => Promise<unknown>;
