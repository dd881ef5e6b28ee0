// Roles of the people who use cobrew over HTTP, weakest first: each role may do everything the ones before it
// may. The dashboard's accounts give them; every area with HTTP routes (dashboard, recipes) asks for them.
import { Type as T } from '@sinclair/typebox';

export const ROLES = ['viewer', 'member', 'brewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const RoleSchema = T.Union(
  ROLES.map((r) => T.Literal(r)),
  {
    description:
      'viewer: reads everything; member: may also make non-fermenter changes; brewer: may also change ' +
      'setpoints, modes and profiles and clear trips; admin: everything',
  },
);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function roleAtLeast(role: Role, minimum: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(minimum);
}
