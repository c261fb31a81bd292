import type { SessionStatus } from '@aegis/client';
import { type FormEvent, type ReactNode, useState } from 'react';
import {
  apiBase,
  checkApiKey,
  errorMessage,
  isUnauthorized,
  setApiKey,
  ssoLoginUrl,
  useSso,
} from '../api.js';
import { statusLabel, statusTone } from '../lib/format.js';

export function StatusBadge({ status }: { status: SessionStatus }) {
  return (
    <span className={`badge tone-${statusTone(status)}`} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}

const ENDED: ReadonlySet<SessionStatus> = new Set(['completed', 'killed', 'crashed']);

/**
 * Whether a live session has an agent process up. A dormant one (evicted when idle, or after a
 * restart) starts one and resumes its conversation on the next prompt.
 */
export function ResidencyBadge({ status, resident }: { status: SessionStatus; resident: boolean }) {
  if (ENDED.has(status)) return null;
  return (
    <span
      className={`badge tone-${resident ? 'ok' : 'muted'} residency`}
      data-residency={resident ? 'resident' : 'dormant'}
      title={
        resident
          ? 'An agent process is up for this session'
          : 'No agent process: the next prompt starts one and resumes the conversation'
      }
    >
      {resident ? 'resident' : 'dormant'}
    </span>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-body">{children}</div> : null}
    </div>
  );
}

/** An error with a retry; a 401 turns into the API key form. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (isUnauthorized(error)) return <Login onDone={onRetry} />;
  return (
    <div className="error-state" role="alert">
      <p className="empty-title">Something went wrong</p>
      <p className="mono">{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Login({ onDone }: { onDone?: (() => void) | undefined }) {
  const [key, setKey] = useState('');
  const [err, setErr] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const sso = useSso();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setChecking(true);
    const problem = await checkApiKey(k);
    setChecking(false);
    if (problem) {
      setErr(problem);
      return;
    }
    setApiKey(k);
    onDone?.();
  };
  return (
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">API key required</h2>
      {sso ? (
        <p>
          <a className="btn btn-primary" href={ssoLoginUrl()} data-testid="sso-login">
            Sign in with SSO
          </a>{' '}
          <span className="muted small">with your company account, or with an API key below.</span>
        </p>
      ) : null}
      <p className="muted" data-testid="login-why">
        The server at <span className="mono">{apiBase}</span> needs an API key: it has keys (access without a
        key ends once the first key is created), or it runs with a bootstrap token. Sign in with a key; it is
        kept for this browser tab only (sessionStorage).
      </p>
      <p className="muted small" data-testid="login-recover">
        No admin key at hand? Restart the server with <span className="mono">AEGIS_AUTH_TOKEN</span> set to a
        random secret of 16+ characters (e.g. <span className="mono">openssl rand -hex 32</span>): that is a
        bootstrap admin token. Sign in with it here and create a new admin key under API keys.
      </p>
      <label className="field">
        <span>API key</span>
        <input
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => {
            setKey(e.target.value);
            setErr(null);
          }}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? 'login-error' : undefined}
          required
        />
      </label>
      {err ? (
        <p id="login-error" className="form-error" role="alert" data-testid="login-error">
          {err}
        </p>
      ) : null}
      <button type="submit" className="btn btn-primary" disabled={checking}>
        {checking ? 'Checking…' : 'Sign in'}
      </button>
    </form>
  );
}

export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 100;
  const h = 24;
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const pts = values
    .map((v, i) => `${(i * step).toFixed(1)},${(h - (v / max) * (h - 2) - 1).toFixed(1)}`)
    .join(' ');
  return (
    <svg className="spark" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={label}>
      <polyline
        points={pts}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

/** Shown when a list stopped before the server's last page: the figures cover only part of it. */
export function TruncatedChip({ shown, total }: { shown: number; total: number }) {
  return (
    <span className="chip tone-warn" role="status" data-testid="truncated">
      Showing {shown.toLocaleString()} of {total.toLocaleString()} sessions
    </span>
  );
}
