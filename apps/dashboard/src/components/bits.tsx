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
import { t } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
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
      title={resident ? t('residency.residentTitle') : t('residency.dormantTitle')}
    >
      {resident ? t('residency.resident') : t('residency.dormant')}
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
      <p className="empty-title">{t('error.title')}</p>
      <p className="mono">{errorMessage(error)}</p>
      {onRetry ? (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
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
      <h2 id="login-title">{t('login.title')}</h2>
      {sso ? (
        <p>
          <a className="btn btn-primary" href={ssoLoginUrl()} data-testid="sso-login">
            {t('login.sso')}
          </a>{' '}
          <span className="muted small">{t('login.ssoHelp')}</span>
        </p>
      ) : null}
      <p className="muted" data-testid="login-why">
        {tr('login.why', { api: <span className="mono">{apiBase}</span> })}
      </p>
      <p className="muted small" data-testid="login-recover">
        {tr('login.recover', {
          env: <span className="mono">AEGIS_AUTH_TOKEN</span>,
          cmd: <span className="mono">openssl rand -hex 32</span>,
        })}
      </p>
      <label className="field">
        <span>{t('login.key')}</span>
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
        {checking ? t('login.checking') : t('login.signIn')}
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
      {t('truncated', { shown, total })}
    </span>
  );
}
