import type { Role } from '@/lib/db/schema';

/**
 * SPEC's "People and permissions" table, in one place. Data-access functions call `assertCan`
 * before they write; pages use `can` only to decide which controls to show.
 */
export type Permission =
  | 'view-scorecard'
  | 'write-commentary'
  | 'log-spot-fix'
  | 'administer'
  | 'create-snapshot'
  | 'revoke-snapshot';

export interface PermissionSubject {
  id: number;
  role: Role;
}

/** The resource a permission is checked against, where ownership matters. */
export interface PermissionContext {
  metricOwnerId?: number | null;
  snapshotCreatorId?: number;
}

export function can(me: PermissionSubject, permission: Permission, context: PermissionContext = {}): boolean {
  if (me.role === 'admin') return true;
  switch (permission) {
    case 'view-scorecard':
      return true;
    case 'write-commentary':
      return me.role === 'executive' && context.metricOwnerId === me.id;
    case 'log-spot-fix':
    case 'create-snapshot':
      return me.role === 'executive';
    case 'revoke-snapshot':
      return me.role === 'executive' && context.snapshotCreatorId === me.id;
    case 'administer':
      return false;
  }
}

export class ForbiddenError extends Error {
  constructor(message = 'You do not have permission to do that.') {
    super(message);
    this.name = 'ForbiddenError';
  }
}

export function assertCan(me: PermissionSubject, permission: Permission, context: PermissionContext = {}): void {
  if (!can(me, permission, context)) throw new ForbiddenError();
}
