/**
 * Roles and what each may do to entries. The table is data, so the docs, the UI and the tests
 * read the same one (docs/sync.md, "Members and roles").
 */

/** owner > admin > editor > viewer. Kinesis' ROOT is owner, its ADMIN is admin. */
export type Role = 'owner' | 'admin' | 'editor' | 'viewer';

export const roles: readonly Role[] = ['owner', 'admin', 'editor', 'viewer'];

const ranks: Readonly<Record<Role, number>> = { owner: 4, admin: 3, editor: 2, viewer: 1 };

/** A role's rank: owner 4, admin 3, editor 2, viewer 1 (0 is "no role", for ordering). */
export const rankOf = (role: Role): number => ranks[role];

/** The byte a role is encoded as in an operation (crypto.md, "Team operations"). */
export const roleCodes: Readonly<Record<Role, number>> = {
  viewer: 0x01,
  editor: 0x02,
  admin: 0x03,
  owner: 0x04,
};

export function roleOfCode(code: number): Role | undefined {
  return roles.find((role) => roleCodes[role] === code);
}

/**
 * What a device may do to a vault's entries. 'read-write-only' is using a write-only secret
 * (in references and code, never shown); 'manage-members' is adding, removing and re-roling
 * members (for an admin, editors and viewers only: `mayDo` checks the target).
 */
export type EntryAction =
  | 'read'
  | 'read-write-only'
  | 'create'
  | 'update'
  | 'delete'
  | 'manage-members'
  | 'delete-vault';

export const entryActions: readonly EntryAction[] = [
  'read',
  'read-write-only',
  'create',
  'update',
  'delete',
  'manage-members',
  'delete-vault',
];

/** The lowest role allowed each action. */
const lowestRole: Readonly<Record<EntryAction, Role>> = {
  read: 'viewer',
  'read-write-only': 'editor',
  create: 'editor',
  update: 'editor',
  delete: 'editor',
  'manage-members': 'admin',
  'delete-vault': 'owner',
};

/** Whether `role` may do `action` (the table, without asking who is doing it). */
export const roleMay = (role: Role, action: EntryAction): boolean =>
  rankOf(role) >= rankOf(lowestRole[action]);

/**
 * Whether a member of role `manager` may manage (add, re-role, remove, add a device to) a
 * member of role `target`: the owner manages admins, editors and viewers; an admin manages
 * editors and viewers; nobody manages the owner (ownership moves only by transfer).
 */
export function manages(manager: Role, target: Role): boolean {
  if (target === 'owner') return false;
  if (manager === 'owner') return true;
  if (manager === 'admin') return target === 'editor' || target === 'viewer';
  return false;
}
