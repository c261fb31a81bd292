import { t } from '../i18n/index.js';
import type { ToolContent } from '../lib/transcript.js';
import { DiffView } from './DiffView.js';

/**
 * A tool's content blocks: diffs as diffs, text as preformatted text. `commandShown`: the command
 * view already shows the text output and the terminals, so only the diffs are left here.
 */
export function ContentView({
  content,
  commandShown = false,
}: {
  content: ToolContent[];
  commandShown?: boolean;
}) {
  const shown = commandShown ? keyed(content).filter(([, c]) => c.type === 'diff') : keyed(content);
  if (!shown.length) return null;
  return (
    <div className="content">
      {shown.map(([k, c]) =>
        c.type === 'diff' ? (
          <DiffView key={k} path={c.path} oldText={c.oldText} newText={c.newText} />
        ) : c.type === 'text' ? (
          <pre key={k} className="pre">
            {c.text}
          </pre>
        ) : (
          <div key={k} className="muted small">
            {t('tool.terminalOne', { id: c.terminalId })}
          </div>
        ),
      )}
    </div>
  );
}

/** Tool content is replaced as a whole, so its position is its identity. */
function keyed(content: ToolContent[]): [string, ToolContent][] {
  return content.map((c, n) => [`${c.type}:${n}`, c]);
}

export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <details className="json">
      <summary>{label}</summary>
      <pre className="pre">
        {text.length > 20_000 ? `${text.slice(0, 20_000)}\n… ${t('tool.truncated')}` : text}
      </pre>
    </details>
  );
}

export function isEmptyObject(v: unknown): boolean {
  return v === null || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);
}

export function toolTone(s: string): string {
  return s === 'completed' ? 'ok' : s === 'failed' ? 'bad' : s === 'in_progress' ? 'busy' : 'muted';
}
