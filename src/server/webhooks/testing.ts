/**
 * Test support for release health: a real HTTP receiver on 127.0.0.1 that
 * can be up, down (nothing listening), failing (500) or slow (holds every
 * answer until released), and builders of the events that trigger
 * notifications and KPIs.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basisDigest } from '../../shared/decisions/binding.ts';
import { eventOfAction, plannedEvent } from '../../shared/deployments/events.ts';
import type { DeploymentPlan } from '../../shared/deployments/stateMachine.ts';
import { CANARY_STEPS, ROLLBACK_STEPS } from '../../shared/deployments/testSupport.ts';

export type Received = { id: string; headers: IncomingHttpHeaders; body: string };
export type ReceiverMode = 'ok' | 'failing' | 'slow';

export type Receiver = {
  url: string;
  received: Received[];
  mode: ReceiverMode;
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Answers every held (slow) request. */
  releaseSlow(): void;
  close(): Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const held: Array<() => void> = [];
  let server: Server | null = null;
  let port = 0;
  const r: Receiver = {
    url: '',
    received: [],
    mode: 'ok',
    async down() {
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async up() {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const answer = () => {
            if (r.mode === 'failing') {
              res.writeHead(500).end('receiver failed');
              return;
            }
            r.received.push({ id: String(req.headers['webhook-id']), headers: req.headers, body });
            res.writeHead(204).end();
          };
          if (r.mode === 'slow') held.push(answer);
          else answer();
        });
      });
      s.keepAliveTimeout = 1_000;
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      port = (s.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${port}/hook`;
      server = s;
    },
    releaseSlow() {
      for (const answer of held.splice(0)) answer();
    },
    async close() {
      r.releaseSlow();
      await r.down();
    },
  };
  await r.up();
  return r;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/** A signed no-go (decision.recorded) payload for a release. */
export function noGoPayload(decisionId: string, releaseId: string): Record<string, unknown> {
  const basis = { results: [], waivers: [], evidence: [] };
  return {
    decisionId,
    releaseId,
    decision: 'no-go',
    reason: 'Card payments fail on lane 2',
    conditions: [],
    verdict: 'no-go',
    criteria: [
      { id: 'no_open_blocker', kind: 'no_open_blocker', isMet: false, reason: 'One open.' },
    ],
    signature: { sha256: 'a'.repeat(64), mimeType: 'image/png', byteLength: 70 },
    basis,
    digest: basisDigest(basis, sha256Hex),
  };
}

/** A canary-first deployment of a release at a store: its first step is an intervention. */
export function canaryPlan(
  deploymentId: string,
  storeId: string,
  releaseId: string,
  terminalId: string,
): DeploymentPlan {
  return {
    deploymentId,
    releaseId,
    storeId,
    targetVersion: '4.4.0',
    terminals: [{ terminalId, name: 'Lane 1', fromVersion: '4.2.1' }],
    runbook: {
      id: `rb-${deploymentId}`,
      strategies: ['canary_first'],
      steps: CANARY_STEPS,
      rollbackSteps: ROLLBACK_STEPS,
    },
  };
}

export { eventOfAction, plannedEvent };
