import { memo, useMemo, useState } from 'react';
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
  const result = useMemo(() => diffTexts(oldText, newText), [oldText, newText]);
  const [all, setAll] = useState(false);
  let budget = all ? Number.POSITIVE_INFINITY : MAX_LINES;
  const total = result.hunks.reduce((n, h) => n + h.lines.length, 0);
  return (
    <figure className="diff" aria-label={`Diff of ${path}`}>
      <figcaption className="diff-head">
        <span className="mono diff-path" title={path}>
          {path}
        </span>
        {oldText === null ? <span className="chip">new file</span> : null}
        <span className="diff-stat">
          <span className="add">+{result.added}</span> <span className="del">−{result.removed}</span>
        </span>
      </figcaption>
      {result.hunks.length === 0 ? (
        <p className="muted diff-none">No changes.</p>
      ) : (
        <div className="diff-body" role="table" aria-label="Changed lines">
          {result.hunks.map((h) => {
            if (budget <= 0) return null;
            const lines = h.lines.slice(0, budget);
            budget -= lines.length;
            return (
              <div key={`${h.oldStart}:${h.newStart}`} role="rowgroup">
                <div className="diff-hunk" role="row">
                  <span role="cell">
                    @@ −{h.oldStart},{h.oldLines} +{h.newStart},{h.newLines} @@
                  </span>
                </div>
                {lines.map((l, i) => (
                  <div key={i} className={`diff-line diff-${l.op}`} role="row">
                    <span className="ln" role="cell" aria-label="old line">
                      {l.oldNo ?? ''}
                    </span>
                    <span className="ln" role="cell" aria-label="new line">
                      {l.newNo ?? ''}
                    </span>
                    <span className="sign" role="cell" aria-hidden="true">
                      {l.op === 'add' ? '+' : l.op === 'del' ? '−' : ' '}
                    </span>
                    <span className="code" role="cell">
                      {l.op === 'add' ? <span className="sr-only">added: </span> : null}
                      {l.op === 'del' ? <span className="sr-only">removed: </span> : null}
                      {l.text || ' '}
                    </span>
                  </div>
                ))}
              </div>
            );
          })}
          {!all && total > MAX_LINES ? (
            <button type="button" className="btn btn-small diff-more" onClick={() => setAll(true)}>
              Show all {total} lines
            </button>
          ) : null}
        </div>
      )}
    </figure>
  );
});
