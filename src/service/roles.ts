/** The roles one process can run; `npm start` runs them all. */
export const ROLES = ['scheduler', 'fetch', 'match', 'deliver'] as const;
export type RoleName = (typeof ROLES)[number];

export function parseRoles(text: string | undefined): RoleName[] {
  if (!text || text === 'all') return [...ROLES];
  const names = text.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')} (or "all")`);
  return names as RoleName[];
}
