/** The release-health tables (webhooks; KPI aggregates), merged into ServerSchema. */
import type { KpiSchema } from '../kpis/migrations.ts';
import type { WebhookSchema } from './migrations.ts';

export type HealthSchema = WebhookSchema & KpiSchema;
