import type { Session } from '@aegis/client';
import { intlLocale, t } from '../i18n/index.js';
import { type BudgetLimit, type BudgetRow, budgetRows, budgetState } from '../lib/cost.js';
import { fmtCost } from '../lib/format.js';
import { fmtMs } from '../lib/transcript.js';

type Budgeted = Pick<Session, 'budget' | 'budgetStatus' | 'usage' | 'turns'>;

const TONE: Record<BudgetRow['state'], string> = { ok: 'ok', warn: 'warn', exceeded: 'bad' };

/** One budget figure in its unit: dollars, a count, or a time. */
export function fmtBudget(limit: BudgetLimit, v: number): string {
  if (limit === 'maxCostUsd') return fmtCost(v);
  if (limit === 'maxDurationMs') return fmtMs(v);
  return new Intl.NumberFormat(intlLocale()).format(v);
}

/** A chip saying where a session stands against its budget; nothing without a budget. */
export function BudgetBadge({ s }: { s: Budgeted }) {
  const state = budgetState(s);
  if (!state) return null;
  return (
    <span className={`badge tone-${TONE[state]}`} data-testid="budget-badge" data-budget={state}>
      {t(`budget.${state}`)}
    </span>
  );
}

/** Each limit of the session's budget: used of the limit, a meter, and its state. */
export function BudgetState({ s }: { s: Budgeted }) {
  const rows = budgetRows(s);
  if (rows.length === 0) return null;
  return (
    <section aria-labelledby="budget-title" data-testid="budget-state">
      <h3 id="budget-title">
        {t('budget.title')} <BudgetBadge s={s} />
      </h3>
      <dl className="kv">
        {rows.map((r) => (
          <div key={r.limit} className="budget-row" data-testid={`budget-${r.limit}`} data-state={r.state}>
            <dt>{t(`budget.${r.limit}`)}</dt>
            <dd>
              <meter
                min={0}
                max={1}
                low={0.8}
                high={0.99}
                optimum={0}
                value={Math.min(1, r.fraction)}
                aria-label={t('budget.meter', { limit: t(`budget.${r.limit}`) })}
              />{' '}
              <span data-testid="budget-used">
                {t('budget.usedOf', { used: fmtBudget(r.limit, r.used), max: fmtBudget(r.limit, r.max) })}
              </span>
              {r.state !== 'ok' ? (
                <span className={`muted small tone-text-${TONE[r.state]}`}> · {t(`budget.${r.state}`)}</span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      {s.budgetStatus?.exceeded ? <p className="small tone-text-bad">{t('budget.stopped')}</p> : null}
    </section>
  );
}
