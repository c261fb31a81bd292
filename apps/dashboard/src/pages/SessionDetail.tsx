import type {
  AegisEvent,
  PermissionMode,
  Session,
  SessionHealth,
  SessionLatency,
  SessionSummary,
} from '@aegis/client';
import { type FormEvent, memo, useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, streamAuth } from '../api.js';
import { Empty, ErrorState, StatusBadge } from '../components/bits.js';
import { DiffView } from '../components/DiffView.js';
import { useToast } from '../components/Toasts.js';
import { VirtualList } from '../components/VirtualList.js';
import { fmtAgo, fmtCost, fmtNumber, fmtTime, sessionName, TERMINAL } from '../lib/format.js';
import { type Answers, answerBody, choose, isChosen, type PendingQuestion } from '../lib/question.js';
import { href } from '../lib/router.js';
import { fmtMs, type ToolContent, TranscriptAssembler, type TranscriptItem } from '../lib/transcript.js';

/** Events after which the session object (status, pending permission, usage, mode) is re-read. */
const SESSION_EVENTS = new Set<AegisEvent['type']>([
  'session.state_changed',
  'session.info_updated',
  'agent.ready',
  'turn.started',
  'turn.completed',
  'turn.failed',
  'permission.requested',
  'permission.resolved',
  'question.asked',
  'question.answered',
  'usage.updated',
  'mode.changed',
  'commands.updated',
  'session.ended',
]);

const FALLBACK_MODES: PermissionMode[] = [
  'default',
  'acceptEdits',
  'plan',
  'bypassPermissions',
  'dontAsk',
  'auto',
];

export function SessionDetail({ id }: { id: string }) {
  const toast = useToast();
  const [session, setSession] = useState<Session | null>(null);
  const [loadErr, setLoadErr] = useState<unknown>(undefined);
  const [items, setItems] = useState<readonly TranscriptItem[]>([]);
  const [streamErr, setStreamErr] = useState<unknown>(undefined);
  const [live, setLive] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);

  const refreshSession = useCallback(async () => {
    try {
      setSession(await api().getSession(id));
      setLoadErr(undefined);
    } catch (err) {
      setLoadErr(err);
    }
  }, [id]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` restarts the stream on retry
  useEffect(() => {
    setSession(null);
    setItems([]);
    setLive(false);
    setStreamErr(undefined);
    void refreshSession();
    const ctrl = new AbortController();
    const asm = new TranscriptAssembler();
    let raf = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      raf = 0;
      setItems(asm.items());
    };
    const schedule = () => {
      if (!raf) raf = requestAnimationFrame(flush);
    };
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(refreshSession, 100);
    };
    (async () => {
      try {
        // Replays the durable log from the start, then follows live; the client reconnects with
        // Last-Event-ID after a dropped connection, and the assembler drops any replayed seq.
        for await (const e of api().streamSessionEvents(id, { signal: ctrl.signal, ...streamAuth(id) })) {
          setLive(true);
          if (asm.apply(e)) schedule();
          if (SESSION_EVENTS.has(e.type)) refreshSoon();
        }
      } catch (err) {
        if (!ctrl.signal.aborted) setStreamErr(err);
      }
    })();
    const poll = setInterval(() => document.visibilityState === 'visible' && void refreshSession(), 10_000);
    return () => {
      ctrl.abort();
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      clearInterval(poll);
    };
  }, [id, refreshSession, attempt]);

  const act = async (label: string, fn: () => Promise<{ session?: Session } | Session>, done: string) => {
    setBusy(label);
    try {
      const res = await fn();
      const s = 'session' in res && res.session ? res.session : (res as Session);
      if (s && 'status' in s) setSession(s);
      toast(done, 'ok');
    } catch (err) {
      toast(`${label} failed: ${errorMessage(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  if (loadErr && !session) {
    return (
      <>
        <Back />
        <ErrorState error={loadErr} onRetry={() => setAttempt((a) => a + 1)} />
      </>
    );
  }
  if (!session) {
    return (
      <>
        <Back />
        <p className="muted">Loading session…</p>
      </>
    );
  }

  const s = session;
  const ended = TERMINAL.has(s.status);
  const modes = s.availableModes.length
    ? s.availableModes.map((m) => ({ id: m.id, name: m.name }))
    : FALLBACK_MODES.map((m) => ({ id: m, name: m }));

  return (
    <div className="detail">
      <div className="detail-main">
        <Back />
        <div className="page-head detail-head">
          <h1 className="detail-title">{sessionName(s)}</h1>
          <StatusBadge status={s.status} />
          <span className={`live ${live && !ended ? 'on' : ''}`} title="Event stream">
            {ended ? 'ended' : live ? 'live' : 'connecting…'}
          </span>
          <div className="toolbar" role="toolbar" aria-label="Session actions">
            <label className="field inline">
              <span className="sr-only">Permission mode</span>
              <select
                aria-label="Permission mode"
                value={s.permissionMode}
                disabled={ended || busy !== null}
                onChange={(e) => {
                  const mode = e.target.value as PermissionMode;
                  void act('Mode change', () => api().setMode(s.id, { mode }), `Mode set to ${mode}`);
                }}
              >
                {modes.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.name === m.id ? m.id : `${m.name} (${m.id})`}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="btn"
              disabled={ended || busy !== null}
              onClick={() =>
                act(
                  'Interrupt',
                  async () => {
                    const r = await api().interruptSession(s.id);
                    if (!r.interrupted) throw new Error('nothing was running');
                    return r;
                  },
                  'Turn interrupted',
                )
              }
            >
              Interrupt
            </button>
            <KillButton
              disabled={ended || busy !== null}
              onKill={() => act('Kill', () => api().killSession(s.id), 'Session killed')}
            />
          </div>
        </div>

        {s.pendingPermission ? (
          <PermissionPanel
            session={s}
            busy={busy !== null}
            onApprove={(always) =>
              act(
                always ? 'Always allow' : 'Approve',
                () => api().approvePermission(s.id, always ? { scope: 'always' } : {}),
                always ? 'Always allowed' : 'Approved',
              )
            }
            onReject={() => act('Reject', () => api().rejectPermission(s.id), 'Rejected')}
          />
        ) : null}

        {s.pendingQuestion ? (
          <QuestionPanel
            key={s.pendingQuestion.questionId}
            q={s.pendingQuestion}
            busy={busy !== null}
            onAnswer={(body) => act('Answer', () => api().answerQuestion(s.id, body), 'Answer sent')}
            onDismiss={() => act('Dismiss', () => api().escapeSession(s.id), 'Question dismissed')}
          />
        ) : null}

        {s.problem ? (
          <div
            className={`banner ${s.status === 'rate_limit' || s.status === 'stalled' ? 'tone-warn' : 'tone-bad'}`}
            role="alert"
          >
            <strong>{s.problem.message}</strong>
            {s.problem.hint ? <span> — {s.problem.hint}</span> : null}
          </div>
        ) : null}

        {streamErr ? (
          <div className="banner tone-bad" role="alert">
            Live updates stopped: {errorMessage(streamErr)}{' '}
            <button type="button" className="btn btn-small" onClick={() => setAttempt((a) => a + 1)}>
              Reconnect
            </button>
          </div>
        ) : null}

        <section className="transcript" aria-label="Transcript">
          {items.length === 0 ? (
            <Empty title={live ? 'No messages yet.' : 'Loading transcript…'}>
              {live && !ended ? 'Send a prompt below to start a turn.' : null}
            </Empty>
          ) : (
            <VirtualList items={items} getKey={getKey} render={renderItem} label="Transcript entries" />
          )}
        </section>

        <SendBox
          disabled={ended}
          working={s.status === 'working' || s.status === 'permission_prompt'}
          onSend={async (text) => {
            try {
              const r = await api().sendMessage(s.id, { text });
              setSession(r.session);
              toast(
                r.promptDelivery.queued ? `Queued (position ${r.promptDelivery.position ?? '?'})` : 'Sent',
                'ok',
              );
              return true;
            } catch (err) {
              toast(`Send failed: ${errorMessage(err)}`, 'error');
              return false;
            }
          }}
        />
      </div>
      <SidePanel s={s} />
    </div>
  );
}

const getKey = (i: TranscriptItem) => i.key;
const renderItem = (i: TranscriptItem) => <ItemView item={i} />;

function Back() {
  return (
    <a className="back" href={href.sessions}>
      ← Sessions
    </a>
  );
}

function KillButton({ disabled, onKill }: { disabled: boolean; onKill: () => void }) {
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    if (!confirming) return;
    const t = setTimeout(() => setConfirming(false), 4000);
    return () => clearTimeout(t);
  }, [confirming]);
  return (
    <button
      type="button"
      className={`btn ${confirming ? 'btn-danger' : 'btn-danger-outline'}`}
      disabled={disabled}
      onClick={() => {
        if (confirming) {
          setConfirming(false);
          onKill();
        } else setConfirming(true);
      }}
    >
      {confirming ? 'Confirm kill' : 'Kill'}
    </button>
  );
}

function PermissionPanel({
  session,
  busy,
  onApprove,
  onReject,
}: {
  session: Session;
  busy: boolean;
  onApprove: (always: boolean) => void;
  onReject: () => void;
}) {
  const p = session.pendingPermission!;
  const kinds = new Set(p.options.map((o) => o.kind));
  const ref = useRef<HTMLElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus when a new request arrives
  useEffect(() => {
    ref.current?.focus();
  }, [p.requestId]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card permission"
      aria-labelledby="perm-title"
      role="alertdialog"
    >
      <h2 id="perm-title">Permission requested{p.kind ? <span className="chip">{p.kind}</span> : null}</h2>
      <p className="perm-what">{p.title}</p>
      {session.pendingPermissionCount > 1 ? (
        <p className="muted small">{session.pendingPermissionCount - 1} more waiting after this one.</p>
      ) : null}
      <ContentView content={p.content} />
      {p.input !== undefined && !isEmptyObject(p.input) ? <JsonBlock label="Input" value={p.input} /> : null}
      <div className="perm-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onApprove(false)}>
          Approve
        </button>
        {kinds.has('allow_always') ? (
          <button type="button" className="btn" disabled={busy} onClick={() => onApprove(true)}>
            Always allow
          </button>
        ) : null}
        <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={onReject}>
          Reject
        </button>
        <span className="muted small">asked {fmtAgo(p.requestedAt)}</span>
      </div>
    </section>
  );
}

/** A question the agent asked (status `asking`): options as buttons, free text where allowed. */
function QuestionPanel({
  q,
  busy,
  onAnswer,
  onDismiss,
}: {
  q: PendingQuestion;
  busy: boolean;
  onAnswer: (body: Parameters<ReturnType<typeof api>['answerQuestion']>[1]) => Promise<void>;
  onDismiss: () => void;
}) {
  const [answers, setAnswers] = useState<Answers>({});
  const [free, setFree] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const single = q.questions.length === 1 && !q.questions[0]!.multiSelect;
  const submit = (a: Answers, text = free) => {
    const r = answerBody(q, a, text);
    if (!r.ok) {
      setErr(r.error);
      return;
    }
    setErr(null);
    void onAnswer(r.body);
  };
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card permission question"
      aria-labelledby="q-title"
      role="alertdialog"
      data-testid="question"
    >
      <h2 id="q-title">The agent asks</h2>
      {q.message && !q.questions.some((f) => f.question === q.message) ? (
        <p className="perm-what">{q.message}</p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit(answers);
        }}
        aria-label="Answer the question"
      >
        {q.questions.map((f) => (
          <fieldset key={f.id} className="q-field">
            <legend>
              {f.header ? <span className="chip">{f.header}</span> : null} {f.question}
              {f.multiSelect ? <span className="muted small"> (choose any)</span> : null}
            </legend>
            {f.options.length ? (
              <div className="q-options">
                {f.options.map((o) => (
                  <button
                    key={o.value}
                    type="button"
                    className={`btn ${isChosen(answers, f, o.value) ? 'btn-primary' : ''}`}
                    aria-pressed={f.multiSelect ? isChosen(answers, f, o.value) : undefined}
                    title={o.description ?? undefined}
                    disabled={busy}
                    onClick={() => {
                      const next = choose(answers, f, o.value);
                      setAnswers(next);
                      // One single-choice question: a click is the answer.
                      if (single) submit(next);
                    }}
                  >
                    {o.label}
                  </button>
                ))}
              </div>
            ) : null}
            {f.allowCustom ? (
              <label className="field">
                <span>{f.options.length ? 'Or your own answer' : 'Your answer'}</span>
                <input
                  value={
                    typeof answers[f.id] === 'string' && !f.options.some((o) => o.value === answers[f.id])
                      ? (answers[f.id] as string)
                      : ''
                  }
                  disabled={busy}
                  onChange={(e) => setAnswers({ ...answers, [f.id]: e.target.value })}
                />
              </label>
            ) : null}
          </fieldset>
        ))}
        {q.questions.length === 0 ? (
          <label className="field">
            <span>Your answer</span>
            <input value={free} disabled={busy} onChange={(e) => setFree(e.target.value)} />
          </label>
        ) : null}
        {err ? (
          <p className="form-error" role="alert">
            {err}
          </p>
        ) : null}
        <div className="perm-actions">
          {!single || q.questions[0]!.allowCustom ? (
            <button type="submit" className="btn btn-primary" disabled={busy}>
              Answer
            </button>
          ) : null}
          <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={onDismiss}>
            Dismiss
          </button>
          <span className="muted small">asked {fmtAgo(q.askedAt)}</span>
        </div>
      </form>
    </section>
  );
}

function SendBox({
  disabled,
  working,
  onSend,
}: {
  disabled: boolean;
  working: boolean;
  onSend: (text: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || sending) return;
    setSending(true);
    if (await onSend(text)) setText('');
    setSending(false);
  };
  return (
    <form className="sendbox" onSubmit={submit} aria-label="Send a follow-up">
      <label className="sr-only" htmlFor="send-text">
        Message
      </label>
      <textarea
        id="send-text"
        rows={2}
        value={text}
        disabled={disabled}
        placeholder={
          disabled
            ? 'The session has ended.'
            : working
              ? 'Queued after the running turn… (Enter to send)'
              : 'Send a follow-up (Enter to send, Shift+Enter for a new line)'
        }
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <button type="submit" className="btn btn-primary" disabled={disabled || sending || !text.trim()}>
        Send
      </button>
    </form>
  );
}

function SidePanel({ s }: { s: Session }) {
  const u = s.usage;
  const ctx = u.contextUsed !== null && u.contextSize ? u.contextUsed / u.contextSize : null;
  return (
    <aside className="side card" aria-label="Session details">
      <h2>Details</h2>
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={s.status} />
        </dd>
        <dt>Agent</dt>
        <dd>
          {s.agent}
          {s.model ? <span className="muted"> · {s.model}</span> : null}
        </dd>
        <dt>Mode</dt>
        <dd>{s.permissionMode}</dd>
        <dt>workDir</dt>
        <dd className="mono break">{s.workDir}</dd>
        <dt>Turns</dt>
        <dd>
          {s.turns}
          {s.queuedPrompts ? <span className="muted"> · {s.queuedPrompts} queued</span> : null}
        </dd>
        <dt>Created</dt>
        <dd title={s.createdAt}>{fmtTime(s.createdAt)}</dd>
        <dt>Last activity</dt>
        <dd title={s.lastActivityAt}>{fmtAgo(s.lastActivityAt)}</dd>
        <dt>Id</dt>
        <dd className="mono break small">{s.id}</dd>
        {s.parentId ? (
          <>
            <dt>Parent</dt>
            <dd>
              <a href={href.session(s.parentId)} className="mono small">
                {s.parentId.slice(0, 8)}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Usage</h3>
      <dl className="kv">
        <dt>Tokens in / out</dt>
        <dd>
          {fmtNumber(u.inputTokens)} / {fmtNumber(u.outputTokens)}
        </dd>
        <dt>Cached r / w</dt>
        <dd>
          {fmtNumber(u.cachedReadTokens)} / {fmtNumber(u.cachedWriteTokens)}
        </dd>
        <dt>Cost</dt>
        <dd>{fmtCost(u.costUsd)}</dd>
        {ctx !== null ? (
          <>
            <dt>Context</dt>
            <dd>
              <meter min={0} max={1} value={ctx} aria-label="Context window used" /> {Math.round(ctx * 100)}%
            </dd>
          </>
        ) : null}
      </dl>
      <Insights s={s} />
      {s.exit ? (
        <>
          <h3>Agent exit</h3>
          <p className="small">
            code {s.exit.exitCode ?? '—'} {s.exit.signal ? `· ${s.exit.signal}` : ''}
          </p>
          {s.exit.stderrTail ? <pre className="pre small">{s.exit.stderrTail}</pre> : null}
        </>
      ) : null}
      {s.availableCommands.length ? (
        <>
          <h3>Commands</h3>
          <ul className="cmds small">
            {s.availableCommands.map((c) => (
              <li key={c.name}>
                <code>/{c.name}</code> <span className="muted">{c.description}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </aside>
  );
}

interface InsightData {
  health?: SessionHealth;
  summary?: SessionSummary;
  latency?: SessionLatency;
  error?: string;
}

/** Health, summary and latency, re-read when the session's status or turn count changes. */
function Insights({ s }: { s: Session }) {
  const [d, setD] = useState<InsightData>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on status / turn / activity changes
  useEffect(() => {
    let live = true;
    const t = setTimeout(async () => {
      const [health, summary, latency] = await Promise.allSettled([
        api().getSessionHealth(s.id),
        api().getSessionSummary(s.id),
        api().getSessionLatency(s.id),
      ]);
      if (!live) return;
      const failed = [health, summary, latency].find((r) => r.status === 'rejected');
      setD({
        ...(health.status === 'fulfilled' ? { health: health.value } : {}),
        ...(summary.status === 'fulfilled' ? { summary: summary.value } : {}),
        ...(latency.status === 'fulfilled' ? { latency: latency.value } : {}),
        ...(failed ? { error: errorMessage((failed as PromiseRejectedResult).reason) } : {}),
      });
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [s.id, s.status, s.turns, s.pendingPermission?.requestId, s.pendingQuestion?.questionId]);
  const { health: h, summary: sum, latency: lat } = d;
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : fmtMs(v));
  return (
    <section aria-labelledby="insights-title" data-testid="insights">
      <h3 id="insights-title">Health</h3>
      {d.error && !h ? <p className="small tone-text-bad">{d.error}</p> : null}
      {h ? (
        <>
          <p className="small">
            <span
              className={`chip tone-${h.healthy ? 'ok' : h.alive ? 'warn' : 'muted'}`}
              data-testid="health"
            >
              {h.healthy ? 'healthy' : h.alive ? 'needs attention' : 'agent not running'}
            </span>{' '}
            {h.idleMs !== null ? <span className="muted">idle {fmtMs(h.idleMs)}</span> : null}
          </p>
          {h.hints.length ? (
            <ul className="small hints">
              {h.hints.map((x) => (
                <li key={x}>{x}</li>
              ))}
            </ul>
          ) : null}
        </>
      ) : !d.error ? (
        <p className="muted small">Loading…</p>
      ) : null}
      {sum ? (
        <>
          <h3>Summary</h3>
          <dl className="kv">
            <dt>Turns</dt>
            <dd>
              {sum.turns.completed}/{sum.turns.total} ok
              {sum.turns.failed ? `, ${sum.turns.failed} failed` : ''}
              {sum.turns.cancelled ? `, ${sum.turns.cancelled} cancelled` : ''}
            </dd>
            <dt>Tool calls</dt>
            <dd>
              {sum.toolCalls.total}
              {Object.keys(sum.toolCalls.byKind).length ? (
                <span className="muted">
                  {' '}
                  ·{' '}
                  {Object.entries(sum.toolCalls.byKind)
                    .map(([k, n]) => `${n} ${k}`)
                    .join(', ')}
                </span>
              ) : null}
            </dd>
            <dt>Permissions</dt>
            <dd>
              {sum.permissions.approved} allowed · {sum.permissions.rejected} rejected
            </dd>
            <dt>Questions</dt>
            <dd>
              {sum.questions.answered}/{sum.questions.asked} answered
            </dd>
            {sum.filesTouched.length ? (
              <>
                <dt>Files</dt>
                <dd className="mono small break">{sum.filesTouched.slice(0, 8).join(', ')}</dd>
              </>
            ) : null}
          </dl>
        </>
      ) : null}
      {lat ? (
        <>
          <h3>Latency</h3>
          <table className="lat small">
            <thead>
              <tr>
                <th scope="col">
                  <span className="sr-only">Measure</span>
                </th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">n</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['Turn', lat.turnDurationMs],
                  ['First token', lat.timeToFirstTokenMs],
                  ['Permission wait', lat.permissionWaitMs],
                  ['Question wait', lat.questionWaitMs],
                ] as const
              ).map(([label, st]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{ms(st.p50)}</td>
                  <td>{ms(st.p95)}</td>
                  <td>{st.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

const ItemView = memo(function ItemView({ item }: { item: TranscriptItem }) {
  switch (item.kind) {
    case 'user':
      return (
        <div className="entry entry-user">
          <div className="who">You</div>
          <div className="text">{item.text}</div>
        </div>
      );
    case 'assistant':
      return (
        <div className="entry entry-assistant" data-testid="assistant-text">
          <div className="who">Agent</div>
          <div className="text">
            {item.text}
            {item.streaming ? <span className="cursor" aria-hidden="true" /> : null}
          </div>
        </div>
      );
    case 'thought':
      return (
        <details className="entry entry-thought">
          <summary>Thinking</summary>
          <div className="text muted">{item.text}</div>
        </details>
      );
    case 'tool':
      return (
        <div
          className={`entry entry-tool status-${item.status}`}
          data-testid="tool-call"
          data-status={item.status}
        >
          <div className="tool-head">
            <span className="tool-kind">{item.toolKind ?? 'tool'}</span>
            <span className="tool-title">{item.title}</span>
            <span className={`chip tool-status tone-${toolTone(item.status)}`}>
              {item.status.replace('_', ' ')}
            </span>
          </div>
          {item.locations.length ? (
            <div className="mono small muted">
              {item.locations.map((l) => `${l.path}${l.line ? `:${l.line}` : ''}`).join(', ')}
            </div>
          ) : null}
          <ContentView content={item.content} />
          {item.input !== undefined && !isEmptyObject(item.input) ? (
            <JsonBlock label="Input" value={item.input} />
          ) : null}
          {item.output !== undefined && !item.content.some((c) => c.type === 'text') ? (
            <JsonBlock label="Output" value={item.output} />
          ) : null}
        </div>
      );
    case 'permission': {
      const r = item.resolution;
      const verdict = !r
        ? 'waiting for an answer'
        : r.outcome === 'cancelled'
          ? 'cancelled'
          : r.optionKind?.startsWith('allow')
            ? r.optionKind === 'allow_always'
              ? 'always allowed'
              : 'allowed'
            : 'rejected';
      return (
        <div
          className={`entry entry-permission ${r ? '' : 'open'}`}
          data-testid="permission-entry"
          data-verdict={verdict}
        >
          <span className="perm-icon" aria-hidden="true">
            ⚑
          </span>
          <span>
            Permission <strong>{item.title}</strong>: <span className="verdict">{verdict}</span>
            {r ? (
              <span className="muted small">
                {' '}
                by {r.decidedBy.type}
                {r.decidedBy.actor ? ` (${r.decidedBy.actor})` : ''}
                {r.decidedBy.rule ? `, rule ${r.decidedBy.rule}` : ''} after {fmtMs(r.waitedMs)}
              </span>
            ) : null}
          </span>
        </div>
      );
    }
    case 'plan':
      return (
        <div className="entry entry-plan">
          <div className="who">Plan</div>
          <ol className="plan">
            {item.entries.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a plan is replaced as a whole; position is its identity
              <li key={i} className={`plan-${p.status}`}>
                <span className="plan-box" aria-hidden="true">
                  {p.status === 'completed' ? '✓' : p.status === 'in_progress' ? '◐' : '○'}
                </span>
                <span>{p.content}</span>
                <span className="sr-only">({p.status.replace('_', ' ')})</span>
                {p.priority === 'high' ? <span className="chip tone-attn">high</span> : null}
              </li>
            ))}
          </ol>
        </div>
      );
    case 'system':
      return (
        <div className={`entry entry-system tone-${item.tone}`}>
          <span>{item.text}</span>
          {item.detail ? <pre className="pre small">{item.detail}</pre> : null}
        </div>
      );
  }
});

function ContentView({ content }: { content: ToolContent[] }) {
  if (!content.length) return null;
  return (
    <div className="content">
      {keyed(content).map(([k, c]) =>
        c.type === 'diff' ? (
          <DiffView key={k} path={c.path} oldText={c.oldText} newText={c.newText} />
        ) : c.type === 'text' ? (
          <pre key={k} className="pre">
            {c.text}
          </pre>
        ) : (
          <div key={k} className="muted small">
            Terminal {c.terminalId}
          </div>
        ),
      )}
    </div>
  );
}

/** Tool content is replaced as a whole, so its position is its identity. */
function keyed(content: ToolContent[]): [string, ToolContent][] {
  return content.map((c, n) => [`${c.type}:${n}`, c]);
}

function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <details className="json">
      <summary>{label}</summary>
      <pre className="pre">{text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (truncated)` : text}</pre>
    </details>
  );
}

function isEmptyObject(v: unknown): boolean {
  return v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

function toolTone(s: string): string {
  return s === 'completed' ? 'ok' : s === 'failed' ? 'bad' : s === 'in_progress' ? 'busy' : 'muted';
}
