/**
 * The console's side of the scope feed against the real central server: a
 * page with a gap, a wrong index or an event whose hash does not match is
 * refused whole (nothing applied, the cursor unmoved, the reason on the Sync
 * screen), and a page applied twice changes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FeedResponse } from '../../shared/sync/feed.ts';
import { applyFeedPage, readFeedState, type FeedContext } from './feed.ts';
import { openTestConsole, type TestConsole } from './testing/console.ts';
import { startCentralServer, type CentralServerProcess } from './testing/centralServer.ts';
import { readSyncState } from './state.ts';

let root: string;
let server: CentralServerProcess;
let consoles: TestConsole[] = [];
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'feed-'));
  server = await startCentralServer({ dataDir: join(root, 'server'), isDemo: true });
}, 60_000);
afterEach(async () => {
  for (const c of consoles) await c.close();
  consoles = [];
});
afterAll(async () => {
  await server.kill();
  rmSync(root, { recursive: true, force: true });
});

async function enrollmentCode(): Promise<string> {
  const res = await fetch(`${server.url}/v1/admin/enrollment-codes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId: 'st-par-01' }),
  });
  return ((await res.json()) as { code: string }).code;
}

type Tamper = ((page: FeedResponse, after: number | null) => FeedResponse) | null;

/** A console whose feed answers pass through `tamper` (the server itself stays honest). */
async function consoleWithFeed(name: string, state: { tamper: Tamper; pages: FeedResponse[] }) {
  const c = await openTestConsole(join(root, name), {
    feedPageSize: 40,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      const address = typeof url === 'string' ? url : url instanceof URL ? url.href : url.url;
      // The feed only: /v1/feedback/… is another route.
      if (new URL(address).pathname !== '/v1/feed' || res.status !== 200) return res;
      const page = (await res.json()) as FeedResponse;
      state.pages.push(structuredClone(page));
      const after = new URL(address).searchParams.get('after');
      const sent = state.tamper
        ? state.tamper(structuredClone(page), after === null ? null : Number(after))
        : page;
      return new Response(JSON.stringify(sent), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  consoles.push(c);
  await c.engine.connect({ serverUrl: server.url, enrollmentCode: await enrollmentCode() });
  return c;
}

function stateDump(c: TestConsole): string {
  return ['foreign_events', 'terminal_current', 'terminal_versions', 'feed_state']
    .map((t) =>
      JSON.stringify(c.db.sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).raw().all()),
    )
    .join('\n');
}

const event = (page: FeedResponse, i: number) => {
  const e = page.entries[i];
  if (!e || !('event' in e)) throw new Error(`entry ${i} is not an event`);
  return e.event;
};

describe('a feed page that does not check out is refused whole', () => {
  const cases: Array<{
    name: string;
    code: string;
    words: RegExp;
    tamper: (p: FeedResponse) => FeedResponse;
  }> = [
    {
      name: 'a gap: one event left out of the page',
      code: 'feed_gap',
      words: /missing|does not follow/,
      tamper: (p) => ({ ...p, entries: p.entries.filter((_, i) => i !== 5) }),
    },
    {
      name: 'a wrong index: an event placed one leaf further in the log',
      code: 'feed_bad_proof',
      words: /not where the central log has them/,
      tamper: (p) => {
        const last = p.entries.length - 1;
        p.entries[last]!.index += 1;
        if (p.next !== null) p.next += 1;
        return p;
      },
    },
    {
      name: 'indices out of order',
      code: 'feed_wrong_index',
      words: /log index/,
      tamper: (p) => {
        const [x, y] = [p.entries[3]!, p.entries[4]!];
        [x.index, y.index] = [y.index, x.index];
        return p;
      },
    },
    {
      name: 'an event whose hash does not match (its version edited)',
      code: 'feed_bad_hash',
      words: /does not match its hash/,
      tamper: (p) => {
        event(p, 7).payload['version'] = '9.9.9';
        return p;
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: nothing applied, cursor unmoved, the reason on the Sync screen (${c.code})`, async () => {
      const state: { tamper: Tamper; pages: FeedResponse[] } = { tamper: null, pages: [] };
      // First page honest, the second tampered: the first stays applied, nothing of the second.
      let firstNext: number | null = null;
      state.tamper = (p, after) => {
        if (after === null) firstNext = p.next;
        return after !== null && after === firstNext ? c.tamper(p) : p;
      };
      const con = await consoleWithFeed(`bad-${c.code}-${Math.random()}`, state);
      const outcome = await con.engine.syncOnce();
      expect(outcome.ok).toBe(false);
      const held = con.db.sqlite.prepare('SELECT count(*) FROM foreign_events').pluck().get();
      expect(held).toBe(state.pages[0]!.entries.length);
      const feed = readFeedState(con.db);
      expect(feed.after_index).toBe(state.pages[0]!.next);
      expect(feed.last_refusal_code).toBe(c.code);
      const status = con.engine.status();
      expect(status.lastError).toMatch(/none of that page was applied/);
      expect(status.lastError).toMatch(c.words);
      const before = stateDump(con);
      // Refused again while the server keeps sending it: still nothing changes.
      expect((await con.engine.syncOnce()).ok).toBe(false);
      expect(stateDump(con).replace(/"20\d\d-[^"]+"/g, '')).toBe(
        before.replace(/"20\d\d-[^"]+"/g, ''),
      );
      // An honest answer again: the console catches up and the refusal is cleared.
      state.tamper = null;
      expect(await con.engine.syncOnce()).toMatchObject({ ok: true });
      expect(readFeedState(con.db).last_refusal).toBeNull();
      const all = con.db.sqlite
        .prepare('SELECT count(*) FROM foreign_events')
        .pluck()
        .get() as number;
      expect(all).toBeGreaterThan(state.pages[0]!.entries.length);
    });
  }

  it("an event of another store or of this console's own is refused", async () => {
    const state: { tamper: Tamper; pages: FeedResponse[] } = {
      tamper: (p) => {
        event(p, 2).storeId = 'st-lyo-01';
        return p;
      },
      pages: [],
    };
    const con = await consoleWithFeed('wrong-store', state);
    expect((await con.engine.syncOnce()).ok).toBe(false);
    // The edited store id breaks the hash first: either way nothing is applied.
    expect(readFeedState(con.db).last_refusal_code).toMatch(/feed_bad_hash|feed_wrong_store/);
    expect(con.db.sqlite.prepare('SELECT count(*) FROM foreign_events').pluck().get()).toBe(0);
  });
});

describe('applying a feed page', () => {
  it('twice changes nothing', async () => {
    const state: { tamper: Tamper; pages: FeedResponse[] } = { tamper: null, pages: [] };
    const con = await consoleWithFeed('twice', state);
    expect(await con.engine.syncOnce()).toMatchObject({ ok: true });
    const after = stateDump(con);
    const sync = readSyncState(con.db)!;
    const context: FeedContext = {
      storeId: sync.store_id,
      deviceId: con.journal.deviceId,
      head: state.pages[0]!.treeHead.treeHead,
    };
    // Replayed from the start of the log: every entry is already held.
    con.db.sqlite.prepare('UPDATE feed_state SET after_index = NULL').run();
    for (const page of state.pages) {
      const applied = applyFeedPage(con.db, page, context, () => new Date());
      expect(applied).toMatchObject({ received: 0, applied: 0, superseded: 0 });
    }
    expect(stateDump(con)).toBe(after);
  });

  it("keeps a quarantined event's place in its device's chain without applying it", async () => {
    let withheldId: string | null = null;
    const state: { tamper: Tamper; pages: FeedResponse[] } = {
      tamper: (p, after) => {
        if (after !== null) return p;
        // As the server serves an event whose actor failed its checks: its place, not its content.
        const e = event(p, 3);
        withheldId = e.id;
        p.entries[3] = {
          index: p.entries[3]!.index,
          withheld: { deviceId: e.deviceId, seq: e.seq, hash: e.hash, reason: 'actor_unknown' },
        };
        return p;
      },
      pages: [],
    };
    const con = await consoleWithFeed('withheld', state);
    expect(await con.engine.syncOnce()).toMatchObject({ ok: true });
    const index = state.pages[0]!.entries[3]!.index;
    expect(
      con.db.sqlite
        .prepare('SELECT outcome, reason, body, event_id FROM foreign_events WHERE log_index = ?')
        .get(index),
    ).toEqual({ outcome: 'withheld', reason: 'actor_unknown', body: null, event_id: null });
    // Nothing of it reached the fleet; the events after it in its chain did.
    expect(
      con.db.sqlite
        .prepare('SELECT count(*) FROM terminal_versions WHERE event_id = ?')
        .pluck()
        .get(withheldId),
    ).toBe(0);
    const after = con.db.sqlite
      .prepare("SELECT count(*) FROM foreign_events WHERE log_index > ? AND outcome != 'withheld'")
      .pluck()
      .get(index) as number;
    expect(after).toBeGreaterThan(0);
  });
});
