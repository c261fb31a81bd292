import type { PermissionDecision, PermissionRequest, QuestionAnswer, QuestionRequest } from './driver.js';
import { AegisError } from './errors.js';
import type { Decider } from './events.js';
import { type PermissionPolicy, strictestVerdict } from './permission-policy.js';
import { chooseOption, type PermissionAnswer } from './permission-queue.js';
import { evaluateRules } from './policy.js';
import { type QuestionReply, resolveAnswers } from './question-answers.js';
import type { SessionRecorder } from './session-recorder.js';

type Wait =
  | {
      kind: 'permission';
      id: string;
      request: PermissionRequest;
      at: number;
      announced: boolean;
      settle(decision: PermissionDecision, decidedBy: Decider): void;
    }
  | {
      kind: 'question';
      id: string;
      request: QuestionRequest;
      at: number;
      announced: boolean;
      settle(answer: QuestionAnswer, decidedBy: Decider): void;
    };

export interface HumanWaitsDeps {
  recorder: SessionRecorder;
  policy: PermissionPolicy | undefined;
  onError: (err: unknown, context: string) => void;
  /** Called when a wait ends: the running turn is active again. */
  onActivity: () => void;
}

export const SYSTEM = (rule: string): Decider => ({ type: 'system', actor: null, rule });

/**
 * What a session waits on from a person: the agent's permission requests and questions, in the
 * order they arrived. One is announced at a time — parallel tool calls can ask for a permission
 * while a question is open (or the reverse); the later one waits in order instead of being lost.
 * A policy (the session's own rules, then the server's) may answer a permission before a human.
 */
export class HumanWaits {
  readonly #waits: Wait[] = [];
  readonly #deps: HumanWaitsDeps;

  constructor(deps: HumanWaitsDeps) {
    this.#deps = deps;
  }

  /** Whether anything waits (announced or not). */
  get pending(): boolean {
    return this.#waits.length > 0;
  }

  requestPermission(request: PermissionRequest, signal: AbortSignal): Promise<PermissionDecision> {
    return this.#open<PermissionDecision>(signal, { outcome: 'cancelled' }, (finish) => {
      const wait: Wait = {
        kind: 'permission',
        id: globalThis.crypto.randomUUID(),
        request,
        at: Date.now(),
        announced: false,
        settle: (decision, decidedBy) =>
          finish(wait, decision, () => {
            const option =
              decision.outcome === 'selected'
                ? request.options.find((o) => o.optionId === decision.optionId)
                : undefined;
            this.#deps.recorder.rememberPermission(wait.id, request);
            this.#deps.recorder.emitSafe({
              type: 'permission.resolved',
              data: {
                requestId: wait.id,
                outcome: decision.outcome,
                optionId: option?.optionId ?? null,
                optionKind: option?.kind ?? null,
                decidedBy,
                waitedMs: Date.now() - wait.at,
              },
            });
          }),
      };
      return wait;
    });
  }

  askQuestion(request: QuestionRequest, signal: AbortSignal): Promise<QuestionAnswer> {
    return this.#open<QuestionAnswer>(signal, { outcome: 'cancelled' }, (finish) => {
      const wait: Wait = {
        kind: 'question',
        id: globalThis.crypto.randomUUID(),
        request,
        at: Date.now(),
        announced: false,
        settle: (answer, decidedBy) =>
          finish(wait, answer, () =>
            this.#deps.recorder.emitSafe({
              type: 'question.answered',
              data: {
                questionId: wait.id,
                outcome: answer.outcome,
                answers: answer.outcome === 'answered' ? answer.answers : {},
                decidedBy,
                waitedMs: Date.now() - wait.at,
              },
            }),
          ),
      };
      return wait;
    });
  }

  /**
   * Queues one wait and returns the promise the agent awaits. `make` builds the wait around
   * `finish`, which settles it exactly once: removes it, records the answer when it had been
   * announced, and announces the next.
   */
  #open<T>(
    signal: AbortSignal,
    cancelled: T,
    make: (finish: (wait: Wait, answer: T, record: () => void) => void) => Wait,
  ): Promise<T> {
    return new Promise<T>((resolve) => {
      let settled = false;
      const wait = make((w, answer, record) => {
        if (settled) return;
        settled = true;
        const i = this.#waits.indexOf(w);
        if (i >= 0) this.#waits.splice(i, 1);
        this.#countPermissions();
        if (w.announced) record();
        this.#deps.onActivity();
        resolve(answer);
        this.#announceNext();
      });
      if (signal.aborted) return resolve(cancelled);
      signal.addEventListener(
        'abort',
        () => wait.settle({ outcome: 'cancelled' }, SYSTEM('agent cancelled')),
        { once: true },
      );
      this.#waits.push(wait);
      this.#countPermissions();
      this.#announceNext();
    });
  }

  #countPermissions(): void {
    this.#deps.recorder.session.pendingPermissionCount = this.#waits.filter(
      (w) => w.kind === 'permission',
    ).length;
  }

  #announceNext(): void {
    const next = this.#waits[0];
    if (!next || next.announced) return;
    next.announced = true;
    if (next.kind === 'question') {
      this.#deps.recorder.emitSafe({
        type: 'question.asked',
        data: {
          questionId: next.id,
          toolCallId: next.request.toolCallId,
          message: next.request.message,
          questions: next.request.questions,
        },
      });
      return;
    }
    const r = next.request;
    this.#deps.recorder.emitSafe({
      type: 'permission.requested',
      data: {
        requestId: next.id,
        toolCallId: r.toolCallId,
        title: r.title,
        kind: r.kind,
        input: r.input,
        content: r.content,
        options: r.options,
      },
    });
    this.#applyPolicy(next, r);
  }

  #applyPolicy(wait: Wait & { kind: 'permission' }, r: PermissionRequest): void {
    const session = this.#deps.recorder.session;
    const own = evaluateRules(session.policies ?? [], r, session.workDir);
    const policy = this.#deps.policy;
    if (!own && !policy) return;
    // The server's rules are a ceiling: both are asked, and the stricter verdict decides.
    Promise.resolve(policy?.({ session: structuredClone(session), request: r }))
      .then((server) => {
        const decided = strictestVerdict(server, own);
        if (!decided || decided.verdict.decision === 'ask') return;
        const { verdict, source } = decided;
        const option = chooseOption(r.options, {
          approve: verdict.decision === 'allow',
          scope: verdict.scope,
        });
        wait.settle(
          { outcome: 'selected', optionId: option.optionId },
          { type: 'policy', actor: null, rule: verdict.rule, source },
        );
      })
      .catch((err) => this.#deps.onError(err, 'permission policy'));
  }

  #head<K extends Wait['kind']>(kind: K): (Wait & { kind: K }) | undefined {
    const head = this.#waits[0];
    return head?.announced && head.kind === kind ? (head as Wait & { kind: K }) : undefined;
  }

  /** Answers the announced permission request. 409 `NOTHING_PENDING` when none is. */
  answerPermission(answer: PermissionAnswer, decidedBy: Decider) {
    const wait = this.#head('permission');
    if (!wait) throw AegisError.nothingPending(this.#deps.recorder.session.id);
    const option = chooseOption(wait.request.options, answer);
    wait.settle({ outcome: 'selected', optionId: option.optionId }, decidedBy);
    return { requestId: wait.id, optionId: option.optionId, optionKind: option.kind };
  }

  /**
   * Answers the announced question. `answer` fills the first question (an option's value or
   * label, or free text where allowed); `answers` is keyed by question id.
   */
  answerQuestion(
    reply: QuestionReply,
    decidedBy: Decider,
  ): { questionId: string; answers: Record<string, string | string[]> } {
    const wait = this.#head('question');
    if (!wait) throw AegisError.nothingPending(this.#deps.recorder.session.id);
    const answers = resolveAnswers(wait.request, reply);
    wait.settle({ outcome: 'answered', answers }, decidedBy);
    return { questionId: wait.id, answers };
  }

  /**
   * Dismisses what is announced without cancelling the turn: a question is declined (the agent is
   * told the user skipped it), a permission rejected (the agent goes on without the tool).
   */
  escape(decidedBy: Decider): { dismissed: 'permission' | 'question'; requestId: string } {
    const question = this.#head('question');
    if (question) {
      question.settle({ outcome: 'declined' }, decidedBy);
      return { dismissed: 'question', requestId: question.id };
    }
    const permission = this.#head('permission');
    if (!permission) throw AegisError.nothingPending(this.#deps.recorder.session.id);
    const reject = permission.request.options.find(
      (o) => o.kind === 'reject_once' || o.kind === 'reject_always',
    );
    permission.settle(
      reject ? { outcome: 'selected', optionId: reject.optionId } : { outcome: 'cancelled' },
      decidedBy,
    );
    return { dismissed: 'permission', requestId: permission.id };
  }

  /** Cancels every wait (the turn ended, was interrupted or timed out, or the agent exited). */
  cancelAll(reason: string): void {
    for (const wait of this.#waits.splice(0)) wait.settle({ outcome: 'cancelled' }, SYSTEM(reason));
  }
}
