import { hasApiKey } from '../api.js';

/** Shown instead of an admin-only page to a non-admin key. */
export function Restricted({ what }: { what: string }) {
  return (
    <div className="empty restricted" role="note">
      <p className="empty-title">Admins only</p>
      <div className="empty-body">
        {what} needs an API key with the <code>admin</code> role.{' '}
        {hasApiKey()
          ? 'This tab is signed in with a key that is not an admin’s; sign out and sign in with an admin key to use it.'
          : 'Sign in with an admin key to use it.'}
      </div>
    </div>
  );
}
