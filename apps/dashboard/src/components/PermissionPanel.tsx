import type { Session } from '@aegis/client';
import { useEffect, useRef } from 'react';
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
