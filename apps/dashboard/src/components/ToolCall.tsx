import { t } from '../i18n/index.js';
import { commandView, isCommandTool } from '../lib/command-output.js';
import type { TranscriptItem } from '../lib/transcript.js';
import { ContentView, isEmptyObject, JsonBlock, toolTone } from './ToolContent.js';

type ToolItem = Extract<TranscriptItem, { kind: 'tool' }>;

/** A tool call with its status; a command (`execute`) shows its command line and output open. */
export function ToolCall({ item }: { item: ToolItem }) {
  const command = isCommandTool(item);
  return (
    <div
      className={`entry entry-tool status-${item.status}`}
      data-testid="tool-call"
      data-status={item.status}
    >
      <div className="tool-head">
        <span className="tool-kind">{item.toolKind ?? t('tool.tool')}</span>
        <span className="tool-title">{item.title}</span>
        <span className={`chip tool-status tone-${toolTone(item.status)}`}>
          {t(`tool.status.${item.status}`)}
        </span>
      </div>
      {item.locations.length ? (
        <div className="mono small muted">
          {item.locations.map((l) => `${l.path}${l.line ? `:${l.line}` : ''}`).join(', ')}
        </div>
      ) : null}
      {command ? <CommandOutput item={item} /> : null}
      <ContentView content={item.content} commandShown={command} />
      {item.input !== undefined && !isEmptyObject(item.input) ? (
        <JsonBlock label={t('tool.input')} value={item.input} />
      ) : null}
      {!command && item.output !== undefined && !item.content.some((c) => c.type === 'text') ? (
        <JsonBlock label={t('tool.output')} value={item.output} />
      ) : null}
    </div>
  );
}

function CommandOutput({ item }: { item: ToolItem }) {
  const v = commandView(item);
  const running = item.status === 'pending' || item.status === 'in_progress';
  return (
    <details className="terminal" open data-testid="command-output">
      <summary className="mono">
        <span aria-hidden="true">$ </span>
        {v.command ?? t('tool.output')}
        {v.terminalIds.length ? (
          <span className="muted small"> · {t('tool.terminal', { ids: v.terminalIds.join(', ') })}</span>
        ) : null}
      </summary>
      {v.output !== null ? (
        <pre className="term-out">{v.output}</pre>
      ) : (
        <p className="muted small term-none">{running ? t('tool.running') : t('tool.noOutput')}</p>
      )}
    </details>
  );
}
