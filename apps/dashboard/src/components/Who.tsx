import { usePeople } from '../api.js';

/**
 * An owner or actor id, shown by name when it is a person who signed in through the identity
 * provider (`oidc:<subject>`); keys and the local user stay as their ids.
 */
export function Who({ id }: { id: string | null | undefined }) {
  const people = usePeople();
  if (!id) return <span className="mono">—</span>;
  const person = people.get(id);
  if (!person) return <span className="mono">{id}</span>;
  return (
    <span title={id} data-testid="person">
      {person.name ?? person.email ?? id}
      {person.name && person.email ? <span className="muted"> {person.email}</span> : null}
    </span>
  );
}
