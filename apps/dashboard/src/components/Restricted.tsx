import { hasApiKey } from '../api.js';
import { t } from '../i18n/index.js';
import { tr } from '../i18n/rich.js';

/** Shown instead of an admin-only page to a non-admin key. */
export function Restricted({ what }: { what: string }) {
  return (
    <div className="empty restricted" role="note">
      <p className="empty-title">{t('restricted.title')}</p>
      <div className="empty-body">
        {tr('restricted.needs', { what, role: <code>admin</code> })}{' '}
        {hasApiKey() ? t('restricted.notAdmin') : t('restricted.signIn')}
      </div>
    </div>
  );
}
