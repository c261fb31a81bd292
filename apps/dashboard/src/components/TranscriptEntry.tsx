import { memo } from 'react';
import { t, useLocale } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';
import { fmtMs, questionAnswerLines, type TranscriptItem } from '../lib/transcript.js';
import { ToolCall } from './ToolCall.js';

/** One transcript row. Memoized: the assembler replaces an item object only when it changes. */
export const ItemView = memo(function ItemView({ item }: { item: TranscriptItem }) {
  useLocale(); // memoized: re-worded on a language switch all the same
  switch (item.kind) {
    case 'user':
      return (
        <div className="entry entry-user">
          <div className="who">{t('entry.you')}</div>
          <div className="text">{item.text}</div>
        </div>
      );
    case 'assistant':
      return (
        <div className="entry entry-assistant" data-testid="assistant-text">
          <div className="who">{t('entry.agent')}</div>
          <div className="text">
            {item.text}
            {item.streaming ? <span className="cursor" aria-hidden="true" /> : null}
          </div>
        </div>
      );
    case 'thought':
      return (
        <details className="entry entry-thought">
          <summary>{t('entry.thinking')}</summary>
          <div className="text muted">{item.text}</div>
        </details>
      );
    case 'tool':
      return <ToolCall item={item} />;
    case 'question':
      return <QuestionEntry item={item} />;
    case 'permission': {
      const r = item.resolution;
      const verdict = !r
        ? 'waiting'
        : r.outcome === 'cancelled'
          ? 'cancelled'
          : r.optionKind?.startsWith('allow')
            ? r.optionKind === 'allow_always'
              ? 'alwaysAllowed'
              : 'allowed'
            : 'rejected';
      return (
        <div
          className={`entry entry-permission ${r ? '' : 'open'}`}
          data-testid="permission-entry"
          data-verdict={
            verdict === 'alwaysAllowed'
              ? 'always allowed'
              : verdict === 'waiting'
                ? 'waiting for an answer'
                : verdict
          }
        >
          <span className="perm-icon" aria-hidden="true">
            ⚑
          </span>
          <span>
            {tr('entry.permission', {
              title: <strong>{item.title}</strong>,
              verdict: <span className="verdict">{t(`entry.verdict.${verdict}`)}</span>,
            })}
            {r ? (
              <span className="muted small">
                {' '}
                {t('entry.by', { who: r.decidedBy.type })}
                {r.decidedBy.actor ? ` (${r.decidedBy.actor})` : ''}
                {r.decidedBy.rule ? `, ${t('entry.rule', { rule: r.decidedBy.rule })}` : ''}{' '}
                {t('entry.after', { time: fmtMs(r.waitedMs) })}
              </span>
            ) : null}
          </span>
        </div>
      );
    }
    case 'plan':
      return (
        <div className="entry entry-plan">
          <div className="who">{t('entry.plan')}</div>
          <ol className="plan">
            {item.entries.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a plan is replaced as a whole; position is its identity
              <li key={i} className={`plan-${p.status}`}>
                <span className="plan-box" aria-hidden="true">
                  {p.status === 'completed' ? '✓' : p.status === 'in_progress' ? '◐' : '○'}
                </span>
                <span>{p.content}</span>
                <span className="sr-only">({t(`tool.status.${p.status}`)})</span>
                {p.priority === 'high' ? <span className="chip tone-attn">{t('entry.high')}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      );
    case 'system':
      return (
        <div className={`entry entry-system tone-${item.tone}`}>
          <span>{item.text}</span>
          {item.detail ? <pre className="pre small">{item.detail}</pre> : null}
        </div>
      );
  }
});

function QuestionEntry({ item }: { item: Extract<TranscriptItem, { kind: 'question' }> }) {
  const r = item.resolution;
  const state = !r
    ? t('entry.verdict.waiting')
    : r.outcome === 'answered'
      ? t('entry.answered')
      : r.outcome === 'cancelled'
        ? t('entry.verdict.cancelled')
        : r.outcome;
  const asked = item.questions.length ? item.questions.map((f) => f.question) : [item.message];
  return (
    <div
      className={`entry entry-permission entry-question ${r ? '' : 'open'}`}
      data-testid="question-entry"
      data-outcome={r?.outcome ?? 'waiting'}
    >
      <span className="perm-icon" aria-hidden="true">
        ?
      </span>
      <span>
        {tr('entry.question', {
          q: <strong>{asked.join(' · ')}</strong>,
          state: <span className="verdict">{state}</span>,
        })}
        {r ? (
          <span className="muted small">
            {' '}
            {t('entry.by', { who: r.decidedBy.type })}
            {r.decidedBy.actor ? ` (${r.decidedBy.actor})` : ''}{' '}
            {t('entry.after', { time: fmtMs(r.waitedMs) })}
          </span>
        ) : null}
        {r?.outcome === 'answered' ? (
          <ul className="q-answers small">
            {questionAnswerLines(item).map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        ) : null}
      </span>
    </div>
  );
}
