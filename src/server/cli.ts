/**
 * `npm run server -- [--port 8787] [--data ./.data/server] [--demo]`
 * `npm run server -- admin <command> …` (see admin.ts and docs/operator.md)
 *
 * Environment: PORT, DATA_DIR, DATABASE_URL (postgres://… puts the log on
 * PostgreSQL), LOG_PRIVATE_KEY (PKCS#8 PEM of the log key), HOST, LOG_LEVEL,
 * LOG_FORMAT (json or pretty; default: pretty on a terminal, else JSON lines),
 * PUSH_CHECK_INLINE_BELOW_BYTES (sync/pushChecker.ts).
 */
import { parseArgs } from 'node:util';
import { runAdmin } from './admin.ts';
import { createServer } from './app.ts';
import { runDemo } from './demo.ts';
import { chooseLogFormat, createServerLogger } from './log.ts';
import { formatStartSummary } from './startSummary.ts';

if (Number(process.versions.node.split('.')[0]) < 24) {
  process.stderr.write(
    `The server needs Node 24 or newer (this is ${process.versions.node}); run it with \`npm run server\`.\n`,
  );
  process.exit(1);
}

const SERVER_USAGE = `Usage: npm run server -- [--port 8787] [--host 127.0.0.1] [--data ./.data/server] [--demo]
       npm run server -- admin help

The DearPOS central audit log server: one append-only Merkle log of every
store's events, signed tree heads, and the catalog the consoles pull.

Options:
  --port <n>     port to listen on (default 8787, or PORT)
  --host <addr>  address to listen on (default 127.0.0.1, or HOST)
  --data <dir>   data folder for the embedded SQLite log (default ./.data/server, or DATA_DIR)
  --demo         load the demo catalog and history; the summary prints an enrollment code and tokens
  --help         print this text and exit

Environment:
  DATABASE_URL     postgres://… keeps the log on PostgreSQL (several processes can serve one log)
  LOG_PRIVATE_KEY  PKCS#8 PEM of the log's Ed25519 key
  LOG_LEVEL        pino level (default info)
  LOG_FORMAT       json or pretty (default: pretty on a terminal, JSON lines otherwise)
  PUSH_CHECK_INLINE_BELOW_BYTES
                   pushes smaller than this are checked on the main thread (default 65536);
                   Infinity: every push, and no worker thread (for a host with one core)

Administration (stores, terminals, releases, users, enrollment codes, tokens):
  npm run server -- admin help
`;

async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'admin') {
    process.exitCode = await runAdmin(argv.slice(1));
    return;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      demo: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(SERVER_USAGE);
    return;
  }
  const format = chooseLogFormat();
  const log = createServerLogger({ format });
  const port = Number(values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not ${values.port ?? process.env.PORT}`);
  const dataDir = values.data ?? process.env.DATA_DIR ?? './.data/server';
  const server = await createServer({
    dataDir,
    databaseUrl: process.env.DATABASE_URL,
    logKeyPem: process.env.LOG_PRIVATE_KEY,
    logger: log,
  });
  const url = await server.listen(port, values.host ?? process.env.HOST ?? '127.0.0.1');
  const demo = values.demo ? await runDemo(server, url) : null;
  if (demo) await requestsSettled(server);
  const summary = formatStartSummary({
    url,
    storage: server.store.kind === 'sqlite' ? `SQLite ${server.store.file}` : 'PostgreSQL',
    logId: server.key.logId,
    demo,
  });
  // Last, after the demo's request-log lines, where a person looks.
  process.stdout.write(`${summary}\n`);
  const stop = (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

/**
 * Waits (at most 2 s) until no request is in flight, then 100 ms more: Fastify
 * writes a request's "request completed" line after the client already has its
 * answer and after every onResponse hook, some of them asynchronous, so
 * without this the demo's last log line could land after the summary that
 * must come last (seen on a loaded machine, even one event-loop turn later).
 */
async function requestsSettled(server: { inFlightRequests(): number }): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (server.inFlightRequests() > 0 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 100));
}
