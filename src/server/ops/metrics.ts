/**
 * Prometheus metrics (prom-client), one registry per server so tests and
 * several servers in one process never share counters.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ServerMetrics = {
  registry: Registry;
  /** Events newly appended to the log (rate() gives events per second). */
  ingestEvents: Counter;
  /** From a push's first byte to its ack (after the durable commit). */
  ackLatency: Histogram;
  /** Seconds between a device's newest pushed event (device clock) and its acknowledgement. */
  syncLag: Gauge<'device'>;
  /** Every error answer, by its protocol code. */
  refusals: Counter<'code'>;
  /** Requests received and not yet answered. */
  inFlight: Gauge;
  /** Events appended but quarantined by the actor rule, by reason (src/shared/audit/actorRule.ts). */
  quarantined: Counter<'reason'>;
};

export function createMetrics(readLogSize: () => Promise<number>): ServerMetrics {
  const registry = new Registry();
  const ingestEvents = new Counter({
    name: 'dearpos_ingest_events_total',
    help: 'Audit events appended to the central log.',
    registers: [registry],
  });
  const ackLatency = new Histogram({
    name: 'dearpos_push_ack_seconds',
    help: 'Time from receiving a push to sending its acknowledgement (after the durable commit).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'dearpos_log_size',
    help: 'Entries in the central log.',
    registers: [registry],
    async collect() {
      this.set(await readLogSize());
    },
  });
  const syncLag = new Gauge({
    name: 'dearpos_device_sync_lag_seconds',
    help: "Seconds between a device's newest pushed event (its clock) and its acknowledgement.",
    labelNames: ['device'] as const,
    registers: [registry],
  });
  const refusals = new Counter({
    name: 'dearpos_refusals_total',
    help: 'Error answers by protocol code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'dearpos_http_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'dearpos_quarantined_events_total',
    help: 'Events appended to the log but quarantined because they broke the actor rule, by reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return { registry, ingestEvents, ackLatency, syncLag, refusals, inFlight, quarantined };
}
