/** The webhook admin routes (admin token), in the server's route table. */
import type { RouteAuth } from '../sync/protocol.ts';

export const WEBHOOK_ROUTES = {
  createWebhook: { method: 'POST', url: '/v1/admin/webhooks', auth: 'admin' },
  listWebhooks: { method: 'GET', url: '/v1/admin/webhooks', auth: 'admin' },
  deleteWebhook: { method: 'POST', url: '/v1/admin/webhooks/:id/delete', auth: 'admin' },
  pauseWebhook: { method: 'POST', url: '/v1/admin/webhooks/:id/pause', auth: 'admin' },
  resumeWebhook: { method: 'POST', url: '/v1/admin/webhooks/:id/resume', auth: 'admin' },
  replayWebhook: { method: 'POST', url: '/v1/admin/webhooks/:id/replay', auth: 'admin' },
  listWebhookDeliveries: {
    method: 'GET',
    url: '/v1/admin/webhooks/:id/deliveries',
    auth: 'admin',
  },
} as const satisfies Record<string, { method: 'GET' | 'POST'; url: string; auth: RouteAuth }>;
