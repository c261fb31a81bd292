import type { ApiKey, ApiKeySecret, CreateApiKeyRequest, CreatedApiKey } from '@aegis/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, errorMessage, isForbidden, setApiKey } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { Restricted } from '../components/Restricted.js';
import { useToast } from '../components/Toasts.js';
import { Who } from '../components/Who.js';
import { t, tp } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
import { fmtAgo } from '../lib/format.js';
import { EXPIRY_CHOICES, expiryLabel, keyNote, sortKeys } from '../lib/keys.js';
import { usePoll } from '../lib/usePoll.js';

type Role = NonNullable<CreateApiKeyRequest['role']>;
const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function Keys() {
  const toast = useToast();
  const { data, error, loading, refresh } = usePoll(() => api().listApiKeys(), 10_000);
  const [secret, setSecret] = useState<{
    secret: ApiKeySecret | CreatedApiKey;
    why: 'created' | 'rotated';
  } | null>(null);

  if (isForbidden(error))
    return (
      <>
        <h1>{t('nav.keys')}</h1>
        <Restricted what={t('keys.restricted')} />
      </>
    );

  const keys = sortKeys(data?.keys ?? []);
  // With no active key the server may be granting keyless local access, which the next key ends.
  const firstKey = data !== undefined && !keys.some((k) => k.status === 'active');
  const onSecret = (s: ApiKeySecret | CreatedApiKey, why: 'created' | 'rotated') => {
    // The first key ended keyless access: this tab signs in with it instead of locking itself out.
    if ('localAccessEnded' in s && s.localAccessEnded) setApiKey(s.secret);
    setSecret({ secret: s, why });
    refresh();
  };

  return (
    <>
      <div className="page-head">
        <h1>{t('nav.keys')}</h1>
        <span className="chip">{t('keys.role.admin')}</span>
      </div>
      {secret ? <SecretReveal {...secret} onDone={() => setSecret(null)} /> : null}
      <CreateKey firstKey={firstKey} onCreated={(s) => onSecret(s, 'created')} />
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">{t('keys.keys')}</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={refresh} />
        ) : loading && !data ? (
          <p className="muted">{t('common.loading')}</p>
        ) : keys.length === 0 ? (
          <Empty title={t('keys.none')}>{t('keys.noneHelp')}</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{tp('keys.count', keys.length)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('routines.name')}</th>
                  <th scope="col">{t('keys.role')}</th>
                  <th scope="col">{t('side.status')}</th>
                  <th scope="col" className="hide-sm">
                    {t('keys.lastUsed')}
                  </th>
                  <th scope="col" className="hide-md">
                    {t('side.created')}
                  </th>
                  <th scope="col">
                    <span className="sr-only">{t('routines.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <KeyRow
                    key={k.id}
                    k={k}
                    onRotated={(s) => {
                      toast(t('keys.rotated', { name: k.name }), 'ok');
                      onSecret(s, 'rotated');
                    }}
                    onRevoked={() => {
                      toast(t('keys.revoked', { name: k.name }), 'ok');
                      refresh();
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function KeyRow({
  k,
  onRotated,
  onRevoked,
}: {
  k: ApiKey;
  onRotated: (s: ApiKeySecret) => void;
  onRevoked: () => void;
}) {
  const toast = useToast();
  const [confirm, setConfirm] = useState<'rotate' | 'revoke' | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!confirm) return;
    const t = setTimeout(() => setConfirm(null), 4000);
    return () => clearTimeout(t);
  }, [confirm]);
  const run = async (what: 'rotate' | 'revoke') => {
    if (confirm !== what) {
      setConfirm(what);
      return;
    }
    setConfirm(null);
    setBusy(true);
    try {
      if (what === 'rotate') onRotated(await api().rotateApiKey(k.id, { gracePeriodSeconds: 300 }));
      else {
        await api().revokeApiKey(k.id);
        onRevoked();
      }
    } catch (err) {
      toast(
        t('detail.failed', {
          what: what === 'rotate' ? t('keys.rotate') : t('keys.revoke'),
          why: errorMessage(err),
        }),
        'error',
      );
    } finally {
      setBusy(false);
    }
  };
  const active = k.status === 'active';
  const note = keyNote(k);
  return (
    <tr data-testid="key-row" data-key={k.name} data-status={k.status}>
      <td>
        <strong>{k.name}</strong>
        <div className="mono muted small">{k.id}</div>
        {note ? <div className="muted small">{note}</div> : null}
      </td>
      <td>{t(`keys.role.${k.role}`)}</td>
      <td>
        <span className={`chip tone-${active ? 'ok' : k.status === 'revoked' ? 'bad' : 'muted'}`}>
          {t(`keys.status.${k.status}`)}
        </span>
      </td>
      <td className="small hide-sm">{k.lastUsedAt ? fmtAgo(k.lastUsedAt) : t('keys.never')}</td>
      <td className="small hide-md" title={k.createdAt}>
        {fmtAgo(k.createdAt)}
        {k.createdBy ? <div className="muted">{tr('keys.by', { who: <Who id={k.createdBy} /> })}</div> : null}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={!active || busy}
          aria-label={
            confirm === 'rotate'
              ? t('keys.confirmRotateName', { name: k.name })
              : t('keys.rotateName', { name: k.name })
          }
          onClick={() => run('rotate')}
        >
          {confirm === 'rotate' ? t('keys.confirmRotate') : t('keys.rotate')}
        </button>
        <button
          type="button"
          className={`btn btn-small ${confirm === 'revoke' ? 'btn-danger' : 'btn-danger-outline'}`}
          disabled={k.status === 'revoked' || busy}
          aria-label={
            confirm === 'revoke'
              ? t('keys.confirmRevokeName', { name: k.name })
              : t('keys.revokeName', { name: k.name })
          }
          onClick={() => run('revoke')}
        >
          {confirm === 'revoke' ? t('keys.confirmRevoke') : t('keys.revoke')}
        </button>
      </td>
    </tr>
  );
}

function CreateKey({ firstKey, onCreated }: { firstKey: boolean; onCreated: (s: CreatedApiKey) => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [picked, setRole] = useState<Role | null>(null);
  const role: Role = picked ?? (firstKey ? 'admin' : 'operator');
  const [expiry, setExpiry] = useState(0);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    try {
      const seconds = EXPIRY_CHOICES[expiry]?.seconds ?? null;
      const s = await api().createApiKey({
        name: name.trim(),
        role,
        ...(seconds ? { expiresInSeconds: seconds } : {}),
      });
      toast(t('keys.created', { name: s.key.name }), 'ok');
      setName('');
      onCreated(s);
    } catch (error) {
      // Said once, in the form (role=alert), not again in a toast.
      setErr(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="newkey-title">
      <h2 id="newkey-title">{t('keys.new')}</h2>
      <form onSubmit={submit} aria-label={t('keys.createForm')} className="create-form">
        <label className="field">
          <span>{t('keys.name')}</span>
          <input
            name="name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('keys.role')}</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`keys.role.${r}`)} — {t(`keys.roleWhat.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('keys.expires')}</span>
          <select name="expiry" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c, i) => (
              <option key={c.seconds ?? 'never'} value={i}>
                {expiryLabel(c.seconds)}
              </option>
            ))}
          </select>
        </label>
        {firstKey ? (
          <p className="muted small span-all" data-testid="first-key-note">
            {t('keys.firstKey')}
          </p>
        ) : null}
        {err ? (
          <p className="form-error span-all" role="alert">
            {err}
          </p>
        ) : null}
        <div className="span-all">
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? t('keys.creating') : t('keys.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The plaintext secret, shown once, with a copy button. */
function SecretReveal({
  secret,
  why,
  onDone,
}: {
  secret: ApiKeySecret | CreatedApiKey;
  why: 'created' | 'rotated';
  onDone: () => void;
}) {
  const toast = useToast();
  const input = useRef<HTMLInputElement>(null);
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.focus();
  }, []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret.secret);
      toast(t('keys.copied'), 'ok');
    } catch {
      input.current?.select();
      const ok = document.execCommand?.('copy');
      toast(ok ? t('keys.copied') : t('keys.copyByHand'), ok ? 'ok' : 'info');
    }
  };
  return (
    <section
      ref={box}
      tabIndex={-1}
      className="card secret tone-border-attn"
      aria-labelledby="secret-title"
      data-testid="secret"
    >
      <h2 id="secret-title">
        {t(why === 'created' ? 'keys.secretNew' : 'keys.secretRotated', { name: secret.key.name })}
      </h2>
      <p className="muted small">
        {t('keys.onlyTime')}
        {why === 'rotated' ? ` ${t('keys.grace')}` : ''}
      </p>
      {'notice' in secret && secret.notice ? (
        <p className="small" role="status" data-testid="first-key-notice">
          {secret.notice} {t('keys.signedIn')}
        </p>
      ) : null}
      <div className="secret-row">
        <label className="sr-only" htmlFor="secret-value">
          {t('keys.plaintext')}
        </label>
        <input
          id="secret-value"
          ref={input}
          className="mono"
          readOnly
          value={secret.secret}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn btn-primary" onClick={copy}>
          {t('keys.copy')}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t('keys.done')}
        </button>
      </div>
    </section>
  );
}
