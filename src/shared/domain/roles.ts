export const ROLES = ['technician', 'manager', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
