import { useId, useState } from 'react';
import { t } from '../i18n/index.js';

export interface AgentCommand {
  name: string;
  description?: string | null;
}

/**
 * The agent's slash commands: collapsed behind a toggle (an agent can list a hundred), with a
 * filter by name or description once opened. Long descriptions wrap.
 */
export function CommandList({ commands }: { commands: readonly AgentCommand[] }) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  const id = useId();
  const needle = q.trim().toLowerCase().replace(/^\//, '');
  const shown = needle
    ? commands.filter((c) => `${c.name} ${c.description ?? ''}`.toLowerCase().includes(needle))
    : commands;
  return (
    <section className="cmds-box" aria-label={t('cmds.title')}>
      <button
        type="button"
        className="btn btn-small cmds-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        {open ? '▾' : '▸'} {t('cmds.toggle', { n: commands.length })}
      </button>
      {open ? (
        <div id={id}>
          <label className="field cmds-filter">
            <span className="sr-only">{t('cmds.filter')}</span>
            <input
              type="search"
              placeholder={t('cmds.filterPlaceholder')}
              value={q}
              onChange={(e) => setQ(e.target.value)}
            />
          </label>
          {shown.length ? (
            <ul className="cmds small">
              {shown.map((c) => (
                <li key={c.name}>
                  <code>/{c.name}</code> <span className="muted">{c.description}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted small">{t('cmds.none', { q })}</p>
          )}
        </div>
      ) : null}
    </section>
  );
}
