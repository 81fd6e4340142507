/** The desk's KPI routes (desk token; each call checks the desk's scope). */
import type { RouteAuth } from '../sync/protocol.ts';

export const KPI_ROUTES = {
  deskKpis: { method: 'GET', url: '/v1/desk/kpis', auth: 'desk' },
  deskKpisCsv: { method: 'GET', url: '/v1/desk/kpis/csv', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;
