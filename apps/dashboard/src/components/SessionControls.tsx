import { type FormEvent, useEffect, useState } from 'react';
import { t } from '../i18n/index.js';

/** Kill, asking once more first: a second click within 4 s confirms. */
export function KillButton({ disabled, onKill }: { disabled: boolean; onKill: () => void }) {
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
      {confirming ? t('detail.confirmKill') : t('detail.kill')}
    </button>
  );
}

/** The message box under a session's transcript: Enter sends, Shift+Enter breaks the line. */
export function SendBox({
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
    <form className="sendbox" onSubmit={submit} aria-label={t('detail.sendForm')}>
      <label className="sr-only" htmlFor="send-text">
        {t('detail.message')}
      </label>
      <textarea
        id="send-text"
        rows={2}
        value={text}
        disabled={disabled}
        placeholder={
          disabled ? t('detail.ended') : working ? t('detail.queuedPlaceholder') : t('detail.sendPlaceholder')
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
        {t('detail.send')}
      </button>
    </form>
  );
}
