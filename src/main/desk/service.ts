/**
 * The console as a desk: enrollment with a desk code, the Stores
 * list fetched page by page from the central read models and cached for
 * offline viewing (with the time it was fetched), and a store's drill-down.
 * The desk token lives in the console's secret store, never in the database.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  deskEnrollResponse,
  deskRecordsPage,
  deskRenewTokenResponse,
  deskStoresPage,
  deskTerminalsPage,
  type DeskStoreState,
} from '../../shared/desk/protocol.ts';
import type {
  DeskConnection,
  DeskRefreshOutcome,
  DeskStoreDetail,
  DeskStoreRow,
  DeskStoresWindow,
} from '../../shared/contract/desk.ts';
import type { ConsoleTable } from '../../shared/contract/tables.ts';
import { deskStoreFlags } from '../../shared/releases/flags.ts';
import { assignChecklistResponse } from '../../shared/checklists/assignments.ts';
import { deskTestResults, type TestResultsSummary } from '../../shared/releases/testResults.ts';
import { tokenExpiresAt } from '../../shared/sync/protocol.ts';
import { AppError } from '../../shared/errors.ts';
import type { Db } from '../db/open.ts';
import type { SecretStore } from '../sync/secretStore.ts';

const TOKEN_SECRET = 'desk-token';
/** Like the device token: renewed in its last week, after expiry (grace window), or when it carries no expiry. */
const RENEW_BEFORE_MS = 7 * 24 * 60 * 60 * 1000;
const TIMEOUT_MS = 15_000;
/** At most this many terminals are fetched for one store's drill-down (a store has tens). */
const MAX_TERMINALS = 2_000;

export type DeskService = ReturnType<typeof createDeskService>;

type ConnectionRow = { server_url: string; desk_id: string; scope: string; role: string };

export function createDeskService(deps: {
  db: Db;
  secrets: SecretStore;
  now: () => Date;
  /** Tells the screens which tables changed (db:changed). */
  changed: (tables: ConsoleTable[]) => void;
  fetch?: typeof fetch;
}) {
  const { db, secrets, now, changed } = deps;
  const doFetch = deps.fetch ?? fetch;

  function row(): ConnectionRow | null {
    return (
      (db.sqlite
        .prepare('SELECT server_url, desk_id, scope, role FROM desk_connection WHERE id = 1')
        .get() as ConnectionRow | undefined) ?? null
    );
  }

  function connection(): DeskConnection {
    const r = row();
    return {
      isConnected: r !== null && secrets.get(TOKEN_SECRET) !== null,
      serverUrl: r?.server_url ?? null,
      deskId: r?.desk_id ?? null,
      scope: r?.scope ?? null,
      role: r?.role ?? null,
    };
  }

  /**
   * Rotates the desk token when it is due; the new one is kept before it is
   * used, so a crash between the two leaves the desk with its live token.
   */
  async function renewIfDue(serverUrl: string, token: string): Promise<string> {
    const expiresAt = tokenExpiresAt(token);
    if (expiresAt && expiresAt.getTime() - now().getTime() > RENEW_BEFORE_MS) return token;
    let res: Response;
    try {
      res = await doFetch(new URL('/v1/desk/token', serverUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new AppError('unavailable', `The central server at ${serverUrl} cannot be reached.`);
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const message =
        (body as { message?: string } | null)?.message ??
        `The central server answered ${res.status}.`;
      throw new AppError(res.status === 401 ? 'forbidden' : 'unavailable', message, {
        code: (body as { code?: string } | null)?.code,
      });
    }
    const renewed = deskRenewTokenResponse.parse(body);
    secrets.set(TOKEN_SECRET, Buffer.from(renewed.deskToken, 'utf8'));
    return renewed.deskToken;
  }

  /** A call to the central server with the desk token (renewed when due); refusals become coded errors. */
  async function request(path: string, init: RequestInit = {}): Promise<unknown> {
    const r = row();
    const stored = secrets.get(TOKEN_SECRET);
    if (!r || !stored)
      throw new AppError(
        'forbidden',
        'This console is not enrolled as a desk. Enter a desk enrollment code first.',
      );
    const token = await renewIfDue(r.server_url, stored.toString('utf8'));
    let res: Response;
    try {
      res = await doFetch(new URL(path, r.server_url), {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new AppError('unavailable', `The central server at ${r.server_url} cannot be reached.`);
    }
    const body = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    if (!res.ok) {
      const message = body?.message ?? `The central server answered ${res.status}.`;
      if (res.status === 403 || res.status === 401)
        throw new AppError('forbidden', message, { code: body?.code });
      if (res.status === 400) throw new AppError('invalid_input', message, { code: body?.code });
      if (res.status === 404) throw new AppError('not_found', message, { code: body?.code });
      // Content the caller saw is not the server's (a revision's hash): read it again.
      if (res.status === 422) throw new AppError('conflict', message, { code: body?.code });
      // A refusal by the rules (a promotion gated by the evidence): its reasons travel with it.
      if (res.status === 409) throw new AppError('conflict', message, body);
      throw new AppError('unavailable', message, { code: body?.code });
    }
    return body;
  }

  async function connect(input: {
    serverUrl: string;
    enrollmentCode: string;
  }): Promise<DeskConnection> {
    const { publicKey } = generateKeyPairSync('ed25519');
    const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
    const deskId = `desk-${randomUUID()}`;
    let res: Response;
    try {
      res = await doFetch(new URL('/v1/desk/enroll', input.serverUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          code: input.enrollmentCode,
          deskId,
          publicKey: raw.toString('base64'),
          name: hostname().slice(0, 120) || 'desk',
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new AppError(
        'unavailable',
        `The central server at ${input.serverUrl} cannot be reached.`,
      );
    }
    const body: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const message =
        (body as { message?: string } | null)?.message ??
        `The central server answered ${res.status}.`;
      throw new AppError(res.status >= 500 ? 'unavailable' : 'invalid_input', message);
    }
    const enrolled = deskEnrollResponse.parse(body);
    secrets.set(TOKEN_SECRET, Buffer.from(enrolled.deskToken, 'utf8'));
    db.sqlite
      .prepare(
        `INSERT INTO desk_connection (id, server_url, desk_id, scope, role, enrolled_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, desk_id = excluded.desk_id,
           scope = excluded.scope, role = excluded.role, enrolled_at = excluded.enrolled_at`,
      )
      .run(
        new URL(input.serverUrl).origin,
        enrolled.deskId,
        enrolled.scope,
        enrolled.role,
        now().toISOString(),
      );
    // A different scope: the cached lists were another desk's view.
    db.sqlite.exec('DELETE FROM desk_store_states; DELETE FROM desk_store_details;');
    changed(['desk_connection', 'desk_store_states', 'desk_store_details']);
    return connection();
  }

  function cachedAt(releaseId: string): string | null {
    return (
      (db.sqlite
        .prepare('SELECT max(fetched_at) FROM desk_store_states WHERE release_id = ?')
        .pluck()
        .get(releaseId) as string | null) ?? null
    );
  }

  async function refreshStores(input: { releaseId: string }): Promise<DeskRefreshOutcome> {
    const all: DeskStoreState[] = [];
    try {
      let after: string | null = null;
      do {
        const q = new URLSearchParams({ releaseId: input.releaseId, limit: '500' });
        if (after) q.set('after', after);
        const page = deskStoresPage.parse(await request(`/v1/desk/stores?${q.toString()}`));
        all.push(...page.stores);
        after = page.next;
      } while (after !== null);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { ok: false, stores: 0, fetchedAt: cachedAt(input.releaseId), error: error.message };
    }
    const fetchedAt = now().toISOString();
    const insert = db.sqlite.prepare(
      `INSERT INTO desk_store_states (release_id, store_id, name, region, ring, terminals, installed, drifting,
         latest_decision, open_deployments, superseded, consoles, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.sqlite
      .transaction(() => {
        db.sqlite
          .prepare('DELETE FROM desk_store_states WHERE release_id = ?')
          .run(input.releaseId);
        for (const s of all)
          insert.run(
            input.releaseId,
            s.storeId,
            s.name,
            s.region,
            s.ring,
            s.terminals,
            s.installed,
            s.drifting,
            s.latestDecision ? JSON.stringify(s.latestDecision) : null,
            s.openDeployments,
            s.superseded,
            JSON.stringify(s.consoles),
            fetchedAt,
          );
      })
      .immediate();
    changed(['desk_store_states']);
    return { ok: true, stores: all.length, fetchedAt, error: null };
  }

  function stores(input: {
    releaseId: string;
    region?: string | undefined;
    search?: string | undefined;
    driftOnly?: boolean | undefined;
    offset: number;
    limit: number;
  }): DeskStoresWindow {
    const where = ['release_id = ?'];
    const params: Array<string | number> = [input.releaseId];
    if (input.region) {
      where.push('region = ?');
      params.push(input.region);
    }
    if (input.search) {
      where.push("(store_id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')");
      const like = `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      params.push(like, like);
    }
    if (input.driftOnly) where.push('drifting > 0');
    const clause = where.join(' AND ');
    const total = db.sqlite
      .prepare(`SELECT count(*) FROM desk_store_states WHERE ${clause}`)
      .pluck()
      .get(...params) as number;
    const rows = db.sqlite
      .prepare(
        `SELECT store_id, name, region, ring, terminals, installed, drifting, latest_decision, open_deployments, superseded, consoles
         FROM desk_store_states WHERE ${clause} ORDER BY store_id LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as Array<{
      store_id: string;
      name: string;
      region: string;
      ring: string;
      terminals: number;
      installed: number;
      drifting: number;
      latest_decision: string | null;
      open_deployments: number;
      superseded: number;
      consoles: string;
    }>;
    const regions = db.sqlite
      .prepare('SELECT DISTINCT region FROM desk_store_states WHERE release_id = ? ORDER BY region')
      .pluck()
      .all(input.releaseId) as string[];
    return {
      releaseId: input.releaseId,
      total,
      fetchedAt: cachedAt(input.releaseId),
      regions,
      rows: rows.map((r): DeskStoreRow => ({
        storeId: r.store_id,
        name: r.name,
        region: r.region,
        ring: r.ring,
        terminals: r.terminals,
        installed: r.installed,
        drifting: r.drifting,
        latestDecision: r.latest_decision
          ? (JSON.parse(r.latest_decision) as DeskStoreRow['latestDecision'])
          : null,
        openDeployments: r.open_deployments,
        superseded: r.superseded,
        consoles: JSON.parse(r.consoles) as DeskStoreRow['consoles'],
      })),
    };
  }

  async function storeDetail(input: {
    storeId: string;
    releaseId: string;
  }): Promise<DeskStoreDetail> {
    try {
      const terminals: DeskStoreDetail['terminals'] = [];
      let after: string | null = null;
      do {
        const q = new URLSearchParams({ limit: '500' });
        if (after) q.set('after', after);
        const page = deskTerminalsPage.parse(
          await request(
            `/v1/desk/stores/${encodeURIComponent(input.storeId)}/terminals?${q.toString()}`,
          ),
        );
        terminals.push(...page.terminals);
        after = terminals.length < MAX_TERMINALS ? page.next : null;
      } while (after !== null);
      const records = deskRecordsPage.parse(
        await request(
          `/v1/desk/stores/${encodeURIComponent(input.storeId)}/records?${new URLSearchParams({ releaseId: input.releaseId }).toString()}`,
        ),
      ).records;
      const flags = deskStoreFlags.parse(
        await request(
          `/v1/desk/stores/${encodeURIComponent(input.storeId)}/flags?${new URLSearchParams({ releaseId: input.releaseId }).toString()}`,
        ),
      ).flags;
      const fetchedAt = now().toISOString();
      db.sqlite
        .prepare(
          `INSERT INTO desk_store_details (store_id, release_id, data, fetched_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (store_id, release_id) DO UPDATE SET data = excluded.data, fetched_at = excluded.fetched_at`,
        )
        .run(
          input.storeId,
          input.releaseId,
          JSON.stringify({ terminals, records, flags }),
          fetchedAt,
        );
      changed(['desk_store_details']);
      return {
        storeId: input.storeId,
        terminals,
        records,
        flags,
        fetchedAt,
        isCached: false,
        error: null,
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'forbidden' || error.code === 'invalid_input') throw error;
      const cached = db.sqlite
        .prepare(
          'SELECT data, fetched_at FROM desk_store_details WHERE store_id = ? AND release_id = ?',
        )
        .get(input.storeId, input.releaseId) as { data: string; fetched_at: string } | undefined;
      if (!cached) throw error;
      const data = JSON.parse(cached.data) as Pick<DeskStoreDetail, 'terminals' | 'records'> &
        Partial<Pick<DeskStoreDetail, 'flags'>>;
      return {
        storeId: input.storeId,
        ...data,
        // A copy cached before the desk read flags has none.
        flags: data.flags ?? [],
        fetchedAt: cached.fetched_at,
        isCached: true,
        error: error.message,
      };
    }
  }

  async function testResults(releaseId: string): Promise<TestResultsSummary | null> {
    const out = deskTestResults.parse(
      await request(`/v1/desk/releases/${encodeURIComponent(releaseId)}/test-results`),
    );
    return out.summary;
  }

  async function assignChecklist(
    input: {
      templateId: string;
      releaseId: string | null;
      storeIds: string[];
      dueAt: string;
      note: string;
    },
    userId: string,
  ): Promise<{ assignmentIds: string[]; storeIds: string[] }> {
    return assignChecklistResponse.parse(
      await request('/v1/desk/checklist-assignments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...input, actedBy: userId }),
      }),
    );
  }

  return {
    connection,
    connect,
    refreshStores,
    stores,
    storeDetail,
    testResults,
    assignChecklist,
    request,
  };
}
