import { api } from '../api.js';
import { channelRows, text } from '../lib/channels.js';
import { fmtTime } from '../lib/format.js';
import { usePoll } from '../lib/usePoll.js';

/** Health of the notification channels (GET /v1/channels), refreshed every 5 s; hidden when none is set up. */
export function ChannelHealth() {
  const { data } = usePoll(() => api().listChannels(), 5000);
  if (!data) return null;
  const rows = channelRows(data.channels);
  return (
    <section aria-labelledby="channels-title" className="card" data-testid="channel-health">
      <h2 id="channels-title">{text.title()}</h2>
      {rows.length === 0 ? (
        <p className="muted small">{text.none()}</p>
      ) : (
        <ul className="state-bars">
          {rows.map(({ channel: c, tone }) => (
            <li key={c.name} data-testid={`channel-${c.name}`}>
              <span className={`dot tone-${tone}`} aria-hidden="true" />
              <span className="state-name">{c.name}</span>
              <span className={`chip tone-${tone}`}>{text.state(c.state)}</span>
              {c.queueDepth > 0 ? <span className="muted small">{text.waiting(c.queueDepth)}</span> : null}
              {c.outbox?.unconfirmed ? (
                <span className="muted small">{text.unconfirmed(c.outbox.unconfirmed)}</span>
              ) : null}
              {c.pausedUntil ? (
                <span className="muted small">{text.paused(fmtTime(c.pausedUntil))}</span>
              ) : null}
              {c.lastError && tone !== 'ok' ? (
                <span className="muted small" title={c.lastErrorAt ?? undefined}>
                  {text.lastError()}: {c.lastError}
                </span>
              ) : (
                <span className="muted small">{c.detail}</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
