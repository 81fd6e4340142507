/**
 * The console's real back end (createApp: database, journal, every feature,
 * the real sync engine) in its own process, driven over stdin/stdout so a
 * test can kill it with SIGKILL between two acknowledged calls, like a crash.
 *
 * In:  one JSON object a line: {"id", "channel", "input"} (a contract call), or
 *      {"id", "op": "await-catalog"} (resolves once the pulled catalog holds runbooks).
 * Out: "ready <deviceId>", then one JSON line per request: {"id", "ok", "value" | "error"},
 *      written only after the call returned (its transaction is committed).
 * Usage: node --experimental-strip-types consoleChild.ts <dataDir> (or its bundle, bundleChild)
 * Test-only code.
 */
import { flushCompileCache } from 'node:module';
import { createInterface } from 'node:readline';
import { createApp } from '../../app/createApp.ts';
import { createLogger } from '../../log.ts';

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: consoleChild.ts <dataDir>\n');
  process.exit(2);
}

const app = await createApp({ dataDir: dir, log: createLogger({ level: 'silent' }) });

const hasRunbooks = () =>
  (app.db.sqlite.prepare('SELECT count(*) FROM deployment_runbooks').pluck().get() as number) > 0;

/** Waits for the catalog pull (started by sync:connect) to store the runbooks. */
function catalogArrived(): Promise<void> {
  if (hasRunbooks()) return Promise.resolve();
  return new Promise((resolve) => {
    const off = app.events.on('db:changed', () => {
      if (hasRunbooks()) {
        off();
        resolve();
      }
    });
  });
}

type Request = { id: number; channel?: string; input?: unknown; op?: 'await-catalog' };

const write = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
// Most lives end in SIGKILL, which never reaches the exit that writes Node's
// compile cache: written here, the restarts reuse the compiled code.
flushCompileCache();
process.stdout.write(`ready ${app.deviceId}\n`);

// One request at a time, in order: the parent waits for each answer before the next.
let chain = Promise.resolve();
createInterface({ input: process.stdin }).on('line', (line) => {
  chain = chain.then(async () => {
    const request = JSON.parse(line) as Request;
    if (request.op === 'await-catalog') {
      await catalogArrived();
      write({ id: request.id, ok: true, value: null });
      return;
    }
    const result = await app.dispatch(request.channel ?? '', request.input);
    write({ id: request.id, ...result });
  });
});
process.stdin.on('end', () => {
  void chain.then(() => app.close()).then(() => process.exit(0));
});
