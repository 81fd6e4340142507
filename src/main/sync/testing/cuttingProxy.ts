/**
 * A flaky link on loopback, at the TCP level: every byte between the console
 * and the real central server passes through, and after a seeded random
 * number of bytes sent towards the server the connection is cut, either in
 * the middle of a request (the server never sees it whole) or just as the
 * answer starts coming back (the server did the work, the console never
 * hears of it). Test-only code.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type CuttingProxy = {
  url: string;
  stats: { connections: number; cutRequests: number; cutAnswers: number; bytesUp: number };
  /** Stop cutting (the link is good again); `resume` starts again. */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
};

export async function startCuttingProxy(options: {
  target: string;
  random: () => number;
  /** Bytes sent towards the server between two cuts, drawn uniformly in [min, max]. */
  minBytes: number;
  maxBytes: number;
  /** Share of cuts that let the request through and cut its answer instead. */
  answerCutShare?: number;
}): Promise<CuttingProxy> {
  const target = new URL(options.target);
  const stats = { connections: 0, cutRequests: 0, cutAnswers: 0, bytesUp: 0 };
  const draw = () =>
    options.minBytes + Math.floor(options.random() * (options.maxBytes - options.minBytes + 1));
  let untilCut = draw();
  let isPaused = false;
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    stats.connections += 1;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    sockets.add(client);
    sockets.add(upstream);
    let isCutOnAnswer = false;
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data: Buffer) => {
      if (isPaused) {
        upstream.write(data);
        return;
      }
      stats.bytesUp += data.length;
      if (data.length < untilCut) {
        untilCut -= data.length;
        upstream.write(data);
        return;
      }
      const head = data.subarray(0, untilCut);
      untilCut = draw();
      if (options.random() < (options.answerCutShare ?? 0)) {
        // The whole request goes through; the answer is lost.
        stats.cutAnswers += 1;
        isCutOnAnswer = true;
        upstream.write(data);
      } else {
        stats.cutRequests += 1;
        upstream.write(head, cut);
      }
    });
    upstream.on('data', (data: Buffer) => {
      if (isCutOnAnswer) cut();
      else client.write(data);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', cut);
      socket.on('close', () => {
        sockets.delete(socket);
        cut();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    pause: () => {
      isPaused = true;
    },
    resume: () => {
      isPaused = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
