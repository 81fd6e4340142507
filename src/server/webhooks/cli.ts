/**
 * `npm run server -- admin webhooks <create|list|delete|pause|resume|replay|deliveries|deliver> …`:
 * the webhook admin operations on the server database, as the HTTP API does
 * them (the same functions, the same validation and messages). A change
 * (create, delete, pause, resume, replay) names the administrator it acts
 * for (--as ID or DEARPOS_ADMIN) and is a central action of the log.
 */
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { JsonValue } from '../../shared/audit/event.ts';
import { runAdminAction, type AdminActedBy, type AdminActionType } from '../admins/actions.ts';
import type { ServerSchema } from '../db/schema.ts';
import { ServerError, parseInput } from '../errors.ts';
import type { LogKey } from '../log/keys.ts';
import {
  createSubscription,
  createSubscriptionInput,
  deleteSubscription,
  listDeliveries,
  listSubscriptions,
  pauseSubscription,
  replayInput,
  replayMessages,
  resumeSubscription,
  subscriptionCreatedPayload,
} from './subscriptions.ts';
import { createWebhookWorker } from './worker.ts';

export const WEBHOOKS_HELP = `  (webhook changes name the administrator too: --as ID or DEARPOS_ADMIN)
  webhooks create --url U --events A,B [--secret whsec_…] [--wait-minutes N]
                                               subscribe a URL; prints its id and signing secret (shown once)
  webhooks list                                subscriptions: id, state, pending, delivered, url, events
  webhooks delete|pause|resume --id ID         remove, hold or release a subscription's deliveries
  webhooks replay --id ID (--message M,… | --since ISO)
                                               send messages again (same webhook-id)
  webhooks deliveries --id ID [--limit N]      the delivery log, newest first
  webhooks deliver                             send everything due now and exit (when no server runs the worker)
`;

/** What a change needs besides the database: the log key to sign its entry, and who acts when --as is left out. */
export type WebhooksCommandOptions = {
  key: () => LogKey;
  /** DEARPOS_ADMIN, when set. */
  defaultAdminId?: string | undefined;
  now?: Date;
};

export async function runWebhooksCommand(
  db: Kysely<ServerSchema>,
  argv: readonly string[],
  out: (text: string) => void,
  options: WebhooksCommandOptions,
): Promise<void> {
  const now = options.now ?? new Date();
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: [...rest],
    options: {
      data: { type: 'string' },
      url: { type: 'string' },
      events: { type: 'string' },
      secret: { type: 'string' },
      'wait-minutes': { type: 'string' },
      id: { type: 'string' },
      message: { type: 'string' },
      since: { type: 'string' },
      limit: { type: 'string' },
      as: { type: 'string' },
    },
    strict: true,
  });
  const act = async <T>(
    type: AdminActionType,
    change: (d: Kysely<ServerSchema>) => Promise<T>,
    payload: (result: T) => { [k: string]: JsonValue },
  ): Promise<T> => {
    const adminId = values.as ?? options.defaultAdminId;
    if (!adminId)
      throw new ServerError(
        'invalid_input',
        `webhooks ${sub} changes the webhooks: name the administrator you act for with --as ID (or DEARPOS_ADMIN); the central log records it.`,
      );
    const actedBy: AdminActedBy = { adminId, role: 'admin', via: 'cli' };
    const { result } = await runAdminAction(
      db,
      options.key(),
      { actedBy, type, at: now, payload },
      change,
    );
    return result;
  };
  const need = (name: 'id' | 'url' | 'events'): string => {
    const v = values[name];
    if (!v) throw new ServerError('invalid_input', `webhooks ${sub} needs --${name}`);
    return v;
  };
  switch (sub) {
    case 'create': {
      const input = parseInput(
        createSubscriptionInput,
        {
          url: need('url'),
          eventTypes: need('events')
            .split(',')
            .map((e) => e.trim()),
          ...(values.secret ? { secret: values.secret } : {}),
          ...(values['wait-minutes'] ? { waitMinutes: Number(values['wait-minutes']) } : {}),
        },
        'The subscription',
      );
      const r = await act(
        'admin.webhook.created',
        (d) => createSubscription(d, input, now),
        (created) => subscriptionCreatedPayload(created.subscription),
      );
      out(`subscription: ${r.subscription.id}\nsecret: ${r.secret}\n`);
      return;
    }
    case 'list':
      for (const s of await listSubscriptions(db))
        out(
          `${s.id}\t${s.pausedAt ? `paused (${s.pauseReason})` : 'active'}\tpending ${s.pending}\tdelivered ${s.delivered}\t${s.url}\t${s.eventTypes.join(',')}\n`,
        );
      return;
    case 'delete': {
      const id = need('id');
      await act(
        'admin.webhook.deleted',
        (d) => deleteSubscription(d, id),
        () => ({ subscriptionId: id }),
      );
      out(`subscription ${id} deleted\n`);
      return;
    }
    case 'pause': {
      const id = need('id');
      await act(
        'admin.webhook.paused',
        (d) => pauseSubscription(d, id, now),
        () => ({ subscriptionId: id }),
      );
      out(`subscription ${id} paused\n`);
      return;
    }
    case 'resume': {
      const id = need('id');
      await act(
        'admin.webhook.resumed',
        (d) => resumeSubscription(d, id, now),
        () => ({ subscriptionId: id }),
      );
      out(`subscription ${id} resumed\n`);
      return;
    }
    case 'replay': {
      const input = parseInput(
        replayInput,
        {
          ...(values.message ? { messageIds: values.message.split(',') } : {}),
          ...(values.since ? { since: values.since } : {}),
        },
        'The replay',
      );
      const id = need('id');
      const r = await act(
        'admin.webhook.replayed',
        (d) => replayMessages(d, id, input, now),
        (replayed) => ({ subscriptionId: id, requeued: replayed.requeued }),
      );
      out(`${r.requeued} message(s) queued again\n`);
      return;
    }
    case 'deliveries': {
      const limit = values.limit ? Number(values.limit) : 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new ServerError('invalid_input', '--limit must be a whole number from 1 to 1000');
      for (const d of await listDeliveries(db, need('id'), limit))
        out(
          `${d.attemptedAt}\t${d.messageId}\tattempt ${d.attempt}\t${d.eventType}\t${d.outcome}${d.statusCode === null ? '' : ` ${d.statusCode}`}${d.error ? `\t${d.error}` : ''}\n`,
        );
      return;
    }
    case 'deliver': {
      const r = await createWebhookWorker(db).drain();
      out(`${r.delivered} delivered, ${r.failed} failed (retried later)\n`);
      return;
    }
    case undefined:
    default:
      throw new ServerError(
        'invalid_input',
        `Unknown webhooks command ${sub ?? '(none)'}; one of create, list, delete, pause, resume, replay, deliveries, deliver.`,
      );
  }
}
