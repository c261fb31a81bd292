import type { Session } from '@aegis/client';
import { useEffect, useRef } from 'react';
import { t } from '../i18n/index.js';
import { focusUnlessTyping } from '../lib/focus.js';
import { fmtAgo } from '../lib/format.js';
import { ContentView, isEmptyObject, JsonBlock } from './ToolContent.js';

/** The pending permission request: what the agent wants to do, with Approve / Always allow / Reject. */
export function PermissionPanel({
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
    focusUnlessTyping(ref.current);
  }, [p.requestId]);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="card permission"
      aria-labelledby="perm-title"
      role="alertdialog"
    >
      <h2 id="perm-title">
        {t('perm.requested')}
        {p.kind ? <span className="chip">{p.kind}</span> : null}
      </h2>
      <p className="perm-what">{p.title}</p>
      {session.pendingPermissionCount > 1 ? (
        <p className="muted small">{t('perm.moreWaiting', { n: session.pendingPermissionCount - 1 })}</p>
      ) : null}
      <ContentView content={p.content} />
      {p.input !== undefined && !isEmptyObject(p.input) ? (
        <JsonBlock label={t('tool.input')} value={p.input} />
      ) : null}
      <div className="perm-actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onApprove(false)}>
          {t('perm.approve')}
        </button>
        {kinds.has('allow_always') ? (
          <button type="button" className="btn" disabled={busy} onClick={() => onApprove(true)}>
            {t('perm.alwaysAllow')}
          </button>
        ) : null}
        <button type="button" className="btn btn-danger-outline" disabled={busy} onClick={onReject}>
          {t('perm.reject')}
        </button>
        <span className="muted small">{t('perm.asked', { ago: fmtAgo(p.requestedAt) })}</span>
      </div>
    </section>
  );
}

/** A question the agent asked (status `asking`): options as buttons, free text where allowed. */
