import { POWER_CORES, ROLES, type Role } from '@/lib/domain';
import { powerCoreLabel } from '@/lib/format';

export const ROLE_LABELS: Record<Role, string> = { admin: 'Admin', executive: 'Executive', viewer: 'Viewer' };

export const ROLE_HINTS: Record<Role, string> = {
  admin: 'Everything, including people, targets and owners',
  executive: 'Writes commentary on the metrics they own, logs spot fixes',
  viewer: 'Looks only',
};

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));
export const ROLE_SUMMARY = ROLES.map((role) => `${ROLE_LABELS[role]}: ${ROLE_HINTS[role].toLowerCase()}`).join('. ') + '.';
export const POWER_CORE_OPTIONS = POWER_CORES.map((core) => ({ value: core, label: powerCoreLabel(core) }));
