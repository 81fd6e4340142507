export const ROLES = ['technician', 'manager', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  technician: 'Field technician',
  manager: 'Store manager',
  support: 'Support',
  admin: 'Administrator',
};
