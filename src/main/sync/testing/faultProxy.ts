/**
 * A fault-injecting HTTP proxy on loopback, for sync fault tests: it sits
 * between the console and the real central server and, per request, as a
 * seeded plan decides, delays it, fails it without forwarding, forwards it 1–3
 * times, drops the response after the server committed, or holds it back and
 * delivers it after the next request (reordering). Test-only code.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = {
  /** Wait before forwarding (passed to `delay`, which tests may scale). */
  latencyMs: number;
  /** Answer 503 without forwarding. */
  fail: boolean;
  /** Forward the request this many times (1 = normal). */
  copies: number;
  /** Forward, then cut the connection instead of answering. */
  dropResponse: boolean;
  /** Do not forward now; cut the connection and deliver it after the next two requests. */
  holdBack: boolean;
};

export const NO_FAULT: Fault = {
  latencyMs: 0,
  fail: false,
  copies: 1,
  dropResponse: false,
  holdBack: false,
};

export type FaultPlan = (request: { method: string; path: string; n: number }) => Fault;

export type ProxyStats = {
  requests: number;
  forwarded: number;
  failed: number;
  dropped: number;
  heldBack: number;
  duplicated: number;
};

export type FaultProxy = {
  url: string;
  stats: ProxyStats;
  setTarget(url: string): void;
  setPlan(plan: FaultPlan): void;
  close(): Promise<void>;
};

type Captured = { method: string; path: string; headers: Record<string, string>; body: Buffer };
type Upstream = { status: number; headers: Record<string, string>; body: Buffer };

export async function startFaultProxy(options: {
  target: string;
  plan?: FaultPlan;
  delay?: (ms: number) => Promise<void>;
}): Promise<FaultProxy> {
  let target = new URL(options.target);
  let plan: FaultPlan = options.plan ?? (() => NO_FAULT);
  const delay = options.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stats: ProxyStats = {
    requests: 0,
    forwarded: 0,
    failed: 0,
    dropped: 0,
    heldBack: 0,
    duplicated: 0,
  };
  let held: Captured | null = null;
  /** Requests still to pass before the held one is delivered (so it lands after newer ones). */
  let heldFor = 0;
  let n = 0;

  function forward(req: Captured): Promise<Upstream> {
    stats.forwarded += 1;
    return new Promise((resolve, reject) => {
      const headers = {
        ...req.headers,
        host: target.host,
        'content-length': String(req.body.length),
      };
      const out = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.path, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const h: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
            resolve({ status: res.statusCode ?? 502, headers: h, body: Buffer.concat(chunks) });
          });
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(req.body);
    });
  }

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of incoming) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(incoming.headers))
      if (typeof v === 'string') headers[k] = v;
    delete headers.connection;
    const req: Captured = {
      method: incoming.method ?? 'GET',
      path: incoming.url ?? '/',
      headers,
      body: Buffer.concat(chunks),
    };
    n += 1;
    stats.requests += 1;
    const fault = plan({ method: req.method, path: req.path, n });
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.fail) {
      stats.failed += 1;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'unavailable', message: 'injected failure' }));
      return;
    }
    if (fault.holdBack && held === null) {
      stats.heldBack += 1;
      held = req;
      heldFor = 2;
      res.socket?.destroy();
      return;
    }
    let answer: Upstream | null = null;
    try {
      for (let i = 0; i < Math.max(1, fault.copies); i++) {
        if (i > 0) stats.duplicated += 1;
        answer = await forward(req);
      }
      // A held-back request arrives late, after newer ones: reordered delivery.
      if (held && --heldFor <= 0) {
        const late = held;
        held = null;
        await forward(late).catch(() => undefined);
      }
    } catch {
      res.socket?.destroy();
      return;
    }
    if (fault.dropResponse || !answer) {
      stats.dropped += 1;
      res.socket?.destroy();
      return;
    }
    const out = { ...answer.headers };
    delete out['transfer-encoding'];
    delete out.connection;
    out['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, out);
    res.end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setTarget(url) {
      target = new URL(url);
    },
    setPlan(next) {
      plan = next;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A seeded plan of the fault classes, each a probability per request. */
export function randomFaultPlan(
  random: () => number,
  rates: {
    fail?: number;
    maxLatencyMs?: number;
    duplicate?: number;
    dropResponse?: number;
    holdBack?: number;
  },
): FaultPlan {
  return () => ({
    latencyMs: rates.maxLatencyMs ? Math.floor(random() * rates.maxLatencyMs) : 0,
    fail: random() < (rates.fail ?? 0),
    copies: random() < (rates.duplicate ?? 0) ? 2 + Math.floor(random() * 2) : 1,
    dropResponse: random() < (rates.dropResponse ?? 0),
    holdBack: random() < (rates.holdBack ?? 0),
  });
}
