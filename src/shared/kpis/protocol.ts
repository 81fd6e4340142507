/** The desk's KPI routes (desk token; each call checks the desk's scope). */
import type { RouteAuth } from '../sync/protocol.ts';

export const KPI_ROUTES = {
  deskKpis: { method: 'GET', url: '/v1/desk/kpis', auth: 'desk' },
  deskKpisCsv: { method: 'GET', url: '/v1/desk/kpis/csv', auth: 'desk' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;

/** Per-release health: the desk's page (desk token) and the verdict for store consoles (device token). */
export const HEALTH_ROUTES = {
  deskReleaseHealth: { method: 'GET', url: '/v1/desk/releases/:id/health', auth: 'desk' },
  releaseVerdict: { method: 'GET', url: '/v1/releases/:id/verdict', auth: 'device' },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;
