import type { ApiKey, ApiKeySecret, CreateApiKeyRequest, CreatedApiKey } from '@aegis/client';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, errorMessage, isForbidden, setApiKey } from '../api.js';
import { Empty, ErrorState } from '../components/bits.js';
import { Restricted } from '../components/Restricted.js';
import { useToast } from '../components/Toasts.js';
import { Who } from '../components/Who.js';
import { fmtAgo } from '../lib/format.js';
import { EXPIRY_CHOICES, keyNote, sortKeys } from '../lib/keys.js';
import { usePoll } from '../lib/usePoll.js';

type Role = NonNullable<CreateApiKeyRequest['role']>;
const ROLES: { role: Role; what: string }[] = [
  { role: 'viewer', what: 'reads its own sessions' },
  { role: 'operator', what: 'creates and drives its own sessions' },
  { role: 'admin', what: 'everything, including keys and the audit log' },
];

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
        <h1>API keys</h1>
        <Restricted what="Managing API keys" />
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
        <h1>API keys</h1>
        <span className="chip">admin</span>
      </div>
      {secret ? <SecretReveal {...secret} onDone={() => setSecret(null)} /> : null}
      <CreateKey firstKey={firstKey} onCreated={(s) => onSecret(s, 'created')} />
      <section className="card" aria-labelledby="keys-title">
        <h2 id="keys-title">Keys</h2>
        {error && !data ? (
          <ErrorState error={error} onRetry={refresh} />
        ) : loading && !data ? (
          <p className="muted">Loading…</p>
        ) : keys.length === 0 ? (
          <Empty title="No API keys yet.">
            Without keys the server only answers on loopback (or to its bootstrap token). Create one above.
          </Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="sr-only">{keys.length} API keys</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col" className="hide-sm">
                    Last used
                  </th>
                  <th scope="col" className="hide-md">
                    Created
                  </th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => (
                  <KeyRow
                    key={k.id}
                    k={k}
                    onRotated={(s) => {
                      toast(`Rotated ${k.name}`, 'ok');
                      onSecret(s, 'rotated');
                    }}
                    onRevoked={() => {
                      toast(`Revoked ${k.name}`, 'ok');
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
      toast(`${what === 'rotate' ? 'Rotate' : 'Revoke'} failed: ${errorMessage(err)}`, 'error');
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
      <td>{k.role}</td>
      <td>
        <span className={`chip tone-${active ? 'ok' : k.status === 'revoked' ? 'bad' : 'muted'}`}>
          {k.status}
        </span>
      </td>
      <td className="small hide-sm">{k.lastUsedAt ? fmtAgo(k.lastUsedAt) : 'never'}</td>
      <td className="small hide-md" title={k.createdAt}>
        {fmtAgo(k.createdAt)}
        {k.createdBy ? (
          <div className="muted">
            by <Who id={k.createdBy} />
          </div>
        ) : null}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-small"
          disabled={!active || busy}
          aria-label={confirm === 'rotate' ? `Confirm rotate ${k.name}` : `Rotate ${k.name}`}
          onClick={() => run('rotate')}
        >
          {confirm === 'rotate' ? 'Confirm rotate' : 'Rotate'}
        </button>
        <button
          type="button"
          className={`btn btn-small ${confirm === 'revoke' ? 'btn-danger' : 'btn-danger-outline'}`}
          disabled={k.status === 'revoked' || busy}
          aria-label={confirm === 'revoke' ? `Confirm revoke ${k.name}` : `Revoke ${k.name}`}
          onClick={() => run('revoke')}
        >
          {confirm === 'revoke' ? 'Confirm revoke' : 'Revoke'}
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
      toast(`Key ${s.key.name} created`, 'ok');
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
      <h2 id="newkey-title">New key</h2>
      <form onSubmit={submit} aria-label="Create an API key" className="create-form">
        <label className="field">
          <span>Key name</span>
          <input
            name="name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role} — {r.what}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Expires</span>
          <select name="expiry" value={expiry} onChange={(e) => setExpiry(Number(e.target.value))}>
            {EXPIRY_CHOICES.map((c, i) => (
              <option key={c.label} value={i}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        {firstKey ? (
          <p className="muted small span-all" data-testid="first-key-note">
            This is the first key. If this server lets requests in without one (loopback, no
            AEGIS_AUTH_TOKEN), creating it turns that off — every request will then need a key — so it must be
            admin, and this tab signs in with it.
          </p>
        ) : null}
        {err ? (
          <p className="form-error span-all" role="alert">
            {err}
          </p>
        ) : null}
        <div className="span-all">
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create key'}
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
      toast('Copied to the clipboard', 'ok');
    } catch {
      input.current?.select();
      const ok = document.execCommand?.('copy');
      toast(ok ? 'Copied to the clipboard' : 'Select the key and copy it by hand', ok ? 'ok' : 'info');
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
        {why === 'created' ? 'New key' : 'Rotated key'} “{secret.key.name}” — copy it now
      </h2>
      <p className="muted small">
        This is the only time the plaintext key is shown; Aegis stores only its hash.
        {why === 'rotated' ? ' The old secret keeps working for 5 minutes.' : ''}
      </p>
      {'notice' in secret && secret.notice ? (
        <p className="small" role="status" data-testid="first-key-notice">
          {secret.notice} This tab is now signed in with it.
        </p>
      ) : null}
      <div className="secret-row">
        <label className="sr-only" htmlFor="secret-value">
          Plaintext API key
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
          Copy
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Done
        </button>
      </div>
    </section>
  );
}
