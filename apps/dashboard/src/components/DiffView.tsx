import { memo, useMemo, useState } from 'react';
import { t, useLocale } from '../i18n/index.js';
import { diffTexts } from '../lib/diff.js';

const MAX_LINES = 400;

export const DiffView = memo(function DiffView({
  path,
  oldText,
  newText,
}: {
  path: string;
  oldText: string | null;
  newText: string;
}) {
  useLocale();
  const result = useMemo(() => diffTexts(oldText, newText), [oldText, newText]);
  const [all, setAll] = useState(false);
  let budget = all ? Number.POSITIVE_INFINITY : MAX_LINES;
  const total = result.hunks.reduce((n, h) => n + h.lines.length, 0);
  return (
    <figure className="diff" aria-label={t('diff.of', { path })}>
      <figcaption className="diff-head">
        <span className="mono diff-path" title={path}>
          {path}
        </span>
        {oldText === null ? <span className="chip">{t('diff.newFile')}</span> : null}
        <span className="diff-stat">
          <span className="add">+{result.added}</span> <span className="del">−{result.removed}</span>
        </span>
      </figcaption>
      {result.hunks.length === 0 ? (
        <p className="muted diff-none">{t('diff.none')}</p>
      ) : (
        <div className="diff-body">
          <table className="diff-table">
            <caption className="sr-only">
              {t('diff.stat', { added: result.added, removed: result.removed })}
            </caption>
            {result.hunks.map((h) => {
              if (budget <= 0) return null;
              const lines = h.lines.slice(0, budget);
              budget -= lines.length;
              return (
                <tbody key={`${h.oldStart}:${h.newStart}`}>
                  <tr className="diff-hunk">
                    <td colSpan={4}>
                      @@ −{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
                    </td>
                  </tr>
                  {lines.map((l) => (
                    <tr key={`${l.oldNo ?? '-'}:${l.newNo ?? '-'}`} className={`diff-line diff-${l.op}`}>
                      <td className="ln">{l.oldNo ?? ''}</td>
                      <td className="ln">{l.newNo ?? ''}</td>
                      <td className="sign" aria-hidden="true">
                        {l.op === 'add' ? '+' : l.op === 'del' ? '−' : ' '}
                      </td>
                      <td className="code">
                        {l.op === 'add' ? <span className="sr-only">{t('diff.added')} </span> : null}
                        {l.op === 'del' ? <span className="sr-only">{t('diff.removed')} </span> : null}
                        {l.text || ' '}
                      </td>
                    </tr>
                  ))}
                </tbody>
              );
            })}
          </table>
          {!all && total > MAX_LINES ? (
            <button type="button" className="btn btn-small diff-more" onClick={() => setAll(true)}>
              {t('diff.showAll', { n: total })}
            </button>
          ) : null}
        </div>
      )}
    </figure>
  );
});
