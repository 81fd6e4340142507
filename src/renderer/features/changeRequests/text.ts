/** Strings of the change request modal and screen. */
import type { ChangeRequestStatus, RiskLevel } from '#shared/deployments/changeRequests.ts';

export const STATUS_COLORS: Record<ChangeRequestStatus, string> = {
  pending: 'yellow',
  approved: 'teal',
  rejected: 'red',
};
export const RISK_COLORS: Record<RiskLevel, string> = {
  low: 'gray',
  medium: 'orange',
  high: 'red',
};
