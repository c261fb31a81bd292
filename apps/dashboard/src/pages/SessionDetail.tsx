import type { AegisEvent, PermissionMode, Session, SessionAction } from '@aegis/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage, streamAuth } from '../api.js';
import { Empty, ErrorState, StatusBadge } from '../components/bits.js';
import { PermissionPanel } from '../components/PermissionPanel.js';
import { QuestionPanel } from '../components/QuestionPanel.js';
import { KillButton, SendBox } from '../components/SessionControls.js';
import { SidePanel } from '../components/SessionSide.js';
import { useToast } from '../components/Toasts.js';
import { ItemView } from '../components/TranscriptEntry.js';
import { VirtualList } from '../components/VirtualList.js';
import { t } from '../i18n/index.js';
import { sessionName, TERMINAL } from '../lib/format.js';
import { liveLabel, useServerReachable } from '../lib/reachability.js';
import { href } from '../lib/router.js';
import { TranscriptAssembler, type TranscriptItem } from '../lib/transcript.js';

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

/** States with a turn to interrupt, when the server did not say (`actions`) itself. */
const RUNNING = new Set<Session['status']>([
  'working',
  'permission_prompt',
  'asking',
  'stalled',
  'rate_limit',
]);

/** A session as `GET /v1/sessions/{id}` answers it (with `actions`), or as an action returned it. */
type ShownSession = Session & { actions?: SessionAction[] };

export function SessionDetail({ id }: { id: string }) {
  const toast = useToast();
  const serverUp = useServerReachable();
  const [session, setSession] = useState<ShownSession | null>(null);
  const [refocus, setRefocus] = useState(0);
  const refocusSeen = useRef(0);
  const [loadErr, setLoadErr] = useState<unknown>(undefined);
  const [items, setItems] = useState<readonly TranscriptItem[]>([]);
  const [streamErr, setStreamErr] = useState<unknown>(undefined);
  const [streaming, setStreaming] = useState(false);
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
    setStreaming(false);
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
          setStreaming(true);
          if (asm.apply(e)) schedule();
          if (SESSION_EVENTS.has(e.type)) refreshSoon();
        }
      } catch (err) {
        if (!ctrl.signal.aborted) {
          setStreaming(false); // the header must stop saying "live" once nothing more will arrive
          setStreamErr(err);
        }
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

  const act = async (
    label: string,
    fn: () => Promise<{ session?: Session } | Session>,
    done: string,
    after?: () => void,
  ) => {
    setBusy(label);
    try {
      const res = await fn();
      const s = 'session' in res && res.session ? res.session : (res as Session);
      if (s && 'status' in s) setSession(s);
      toast(done, 'ok');
    } catch (err) {
      toast(t('detail.failed', { what: label, why: errorMessage(err) }), 'error');
    } finally {
      setBusy(null);
      after?.();
    }
  };

  // After Approve / Reject / Answer the panel (and the button that had focus) is disabled, then goes
  // away when the request is answered — here or elsewhere — which drops focus to <body>. Move it to
  // the next request, else to the composer; never away from somewhere the user put it.
  const waitingOn = `${session?.pendingPermission?.requestId ?? ''}|${session?.pendingQuestion?.questionId ?? ''}`;
  const lastWaitingOn = useRef(waitingOn);
  useEffect(() => {
    const answered = lastWaitingOn.current !== waitingOn && lastWaitingOn.current !== '|';
    lastWaitingOn.current = waitingOn;
    if (refocus === refocusSeen.current && !answered) return;
    refocusSeen.current = refocus;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected && !(active as HTMLButtonElement).disabled)
      return;
    const next =
      document.querySelector<HTMLElement>('.permission') ??
      document.querySelector<HTMLTextAreaElement>('#send-text:not(:disabled)') ??
      document.getElementById('main');
    next?.focus();
  });
  const decided = () => setRefocus((n) => n + 1);

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
        <p className="muted">{t('detail.loading')}</p>
      </>
    );
  }

  const s = session;
  const ended = TERMINAL.has(s.status);
  const can = (a: SessionAction, fallback: boolean) =>
    !ended && (s.actions ? s.actions.includes(a) : fallback);
  const live = liveLabel({ ended, streaming, failed: streamErr !== undefined, serverUp });
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
          <span
            className={`live ${live.tone}`}
            title={t('detail.eventStream')}
            data-testid="live"
            role="status"
          >
            {live.text}
          </span>
          <div className="toolbar" role="toolbar" aria-label={t('detail.actions')}>
            <label className="field inline">
              <span className="sr-only">{t('sessions.permissionMode')}</span>
              <select
                aria-label={t('sessions.permissionMode')}
                value={s.permissionMode}
                disabled={!can('mode', true) || busy !== null}
                onChange={(e) => {
                  const mode = e.target.value as PermissionMode;
                  void act(
                    t('detail.modeChange'),
                    () => api().setMode(s.id, { mode }),
                    t('detail.modeSet', { mode }),
                  );
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
              disabled={!can('interrupt', RUNNING.has(s.status)) || busy !== null}
              onClick={() =>
                act(
                  t('detail.interrupt'),
                  async () => {
                    const r = await api().interruptSession(s.id);
                    if (!r.interrupted) throw new Error(t('detail.nothingRunning'));
                    return r;
                  },
                  t('detail.interrupted'),
                )
              }
            >
              {t('detail.interrupt')}
            </button>
            <KillButton
              disabled={ended || busy !== null}
              onKill={() => act(t('detail.kill'), () => api().killSession(s.id), t('detail.killed'))}
            />
          </div>
        </div>

        {s.pendingPermission ? (
          <PermissionPanel
            session={s}
            busy={busy !== null}
            onApprove={(always) =>
              act(
                always ? t('perm.alwaysAllow') : t('perm.approve'),
                () => api().approvePermission(s.id, always ? { scope: 'always' } : {}),
                always ? t('perm.alwaysAllowed') : t('perm.approved'),
                decided,
              )
            }
            onReject={() =>
              act(t('perm.reject'), () => api().rejectPermission(s.id), t('perm.rejected'), decided)
            }
          />
        ) : null}

        {s.pendingQuestion ? (
          <QuestionPanel
            key={s.pendingQuestion.questionId}
            q={s.pendingQuestion}
            busy={busy !== null}
            onAnswer={(body) =>
              act(t('question.answer'), () => api().answerQuestion(s.id, body), t('question.sent'), decided)
            }
            onDismiss={() =>
              act(t('question.dismiss'), () => api().escapeSession(s.id), t('question.dismissed'), decided)
            }
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
            {t('detail.streamStopped', { why: errorMessage(streamErr) })}{' '}
            <button type="button" className="btn btn-small" onClick={() => setAttempt((a) => a + 1)}>
              {t('detail.reconnect')}
            </button>
          </div>
        ) : null}

        <section className="transcript" aria-label={t('detail.transcript')}>
          {items.length === 0 ? (
            <Empty title={streaming ? t('detail.noMessages') : t('detail.loadingTranscript')}>
              {streaming && !ended ? t('detail.sendToStart') : null}
            </Empty>
          ) : (
            <VirtualList items={items} getKey={getKey} render={renderItem} label={t('detail.entries')} />
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
                r.promptDelivery.queued
                  ? t('detail.queued', { position: r.promptDelivery.position ?? '?' })
                  : t('detail.sent'),
                'ok',
              );
              return true;
            } catch (err) {
              toast(t('detail.failed', { what: t('detail.send'), why: errorMessage(err) }), 'error');
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
      ← {t('nav.sessions')}
    </a>
  );
}
