import type { Actor } from '@aegis/core';

/** A person who signed in through the identity provider, as last seen. */
export interface Person {
  /** The owner id of what they create: `oidc:<subject>`. */
  id: string;
  subject: string;
  email: string | null;
  name: string | null;
  role: string | null;
  lastSeenAt: string;
}

/**
 * The people seen on this server since it started (sign-in tokens and dashboard sign-ins), so
 * owner ids (`oidc:<subject>`) can be shown by name. Bounded; the oldest entries go first.
 */
export function peopleDirectory(max = 10_000, now: () => Date = () => new Date()) {
  const people = new Map<string, Person>();
  return {
    seen(actor: Actor) {
      if (!actor.person || !actor.id) return;
      people.delete(actor.id);
      people.set(actor.id, {
        id: actor.id,
        subject: actor.person.subject,
        email: actor.person.email ?? null,
        name: actor.person.name ?? null,
        role: actor.role ?? null,
        lastSeenAt: now().toISOString(),
      });
      if (people.size > max) people.delete(people.keys().next().value as string);
    },
    list: (): Person[] => [...people.values()].reverse(),
  };
}
export type PeopleDirectory = ReturnType<typeof peopleDirectory>;
