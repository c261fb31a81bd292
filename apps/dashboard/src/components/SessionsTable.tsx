import type { Session } from '@aegis/client';
import { t } from '../i18n/index.js';
import { budgetState } from '../lib/cost.js';
import { fmtAgo, fmtCost, fmtNumber, sessionName, shortPath } from '../lib/format.js';
import { ownerText } from '../lib/nodes.js';
import { href } from '../lib/router.js';
import { BudgetBadge } from './BudgetState.js';
import { ResidencyBadge, StatusBadge } from './bits.js';

/**
 * The Sessions page's table: one row per session, linking to it, its cost with its budget state
 * when it has a budget; the Node column on a cluster.
 */
export function SessionsTable({
  rows,
  total,
  withNode,
  self,
}: {
  rows: readonly Session[];
  total: number;
  withNode: boolean;
  self: string | null;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="sr-only">{t('sessions.shown', { n: rows.length, total: total })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('sessions.col.session')}</th>
            <th scope="col">{t('sessions.state')}</th>
            <th scope="col" className="hide-sm">
              {t('sessions.workDir')}
            </th>
            {withNode ? (
              <th scope="col" className="hide-sm" title={t('sessions.col.nodeTitle')}>
                {t('sessions.col.node')}
              </th>
            ) : null}
            <th scope="col" className="hide-md">
              {t('sessions.col.agentMode')}
            </th>
            <th scope="col" className="num hide-sm">
              {t('sessions.col.turns')}
            </th>
            <th scope="col" className="num hide-md">
              {t('overview.tokens')}
            </th>
            <th scope="col" className="num hide-md">
              {t('overview.cost')}
            </th>
            <th scope="col">{t('sessions.col.activity')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <Row key={s.id} s={s} withNode={withNode} self={self} />
          ))}
        </tbody>
      </table>
      <p className="muted small" data-testid="sessions-shown">
        {t('sessions.shown', { n: rows.length, total: total })}
      </p>
    </div>
  );
}

function Row({ s, withNode, self }: { s: Session; withNode: boolean; self: string | null }) {
  return (
    <tr>
      <td>
        <a href={href.session(s.id)} className="row-link">
          {sessionName(s)}
        </a>
        <div className="mono muted small">{s.id.slice(0, 8)}</div>
      </td>
      <td>
        <StatusBadge status={s.status} /> <ResidencyBadge status={s.status} resident={s.agentResident} />
      </td>
      <td className="mono small hide-sm" title={s.workDir}>
        {shortPath(s.workDir, 3)}
      </td>
      {withNode ? (
        <td className="mono small hide-sm">
          <span className={s.node ? undefined : 'muted'} data-testid="session-node">
            {ownerText(s)}
          </span>
          {s.node && s.node === self ? <div className="muted">{t('common.thisNode')}</div> : null}
        </td>
      ) : null}
      <td className="small hide-md">
        {s.agent}
        <div className="muted">{s.permissionMode}</div>
      </td>
      <td className="num hide-sm">{fmtNumber(s.turns)}</td>
      <td className="num hide-md">{fmtNumber(s.usage.totalTokens)}</td>
      <td className="num hide-md">
        {fmtCost(s.usage.costUsd)}
        {budgetState(s) ? (
          <div>
            <BudgetBadge s={s} />
          </div>
        ) : null}
      </td>
      <td className="small" title={s.lastActivityAt}>
        {fmtAgo(s.lastActivityAt)}
      </td>
    </tr>
  );
}
