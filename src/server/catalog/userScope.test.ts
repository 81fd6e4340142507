import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN, TEST_ADMIN_ACTED_BY } from '../testing/admin.ts';
import { loadCatalog, readDemoCatalog } from '../demo.ts';
import { createSimDevice } from '../testing/device.ts';
import { enrollSim, pullAllChanges, startTestServer, type TestServer } from '../testing/harness.ts';
import { recordChanges, setPinPolicy } from './service.ts';

describe('a device receives only the users of its store', () => {
  let t: TestServer;
  const demo = readDemoCatalog();
  const admin = demo.users.find((u) => u.role === 'admin')!;
  const leo = demo.users.find((u) => u.id === 'u-leo')!;

  beforeAll(async () => {
    t = await startTestServer();
    await loadCatalog(t.server, demo, TEST_ADMIN_ACTED_BY);
  });
  afterAll(() => t.close());

  async function usersSeenBy(storeId: string) {
    const token = await enrollSim(t, createSimDevice(storeId), storeId);
    const raw = await t.call('GET', '/v1/changes?cursor=0&limit=1000', { token });
    const changes = await pullAllChanges(t, token);
    const users = changes.flatMap((c) =>
      c.entity === 'user' && c.op === 'upsert' ? [c.value] : [],
    );
    return { users, rawText: JSON.stringify(raw.body), changes };
  }

  it("a device of st-lon-01 gets neither the admin's PIN hash nor another store's users", async () => {
    const { users, rawText } = await usersSeenBy('st-lon-01');
    expect(admin.storeIds).toEqual([]);
    expect(leo.storeIds).not.toContain('st-lon-01');
    expect(users.map((u) => u.id).sort()).toEqual(['u-maya', 'u-sam', 'u-tess']);
    expect(rawText).not.toContain(admin.pinHash);
    expect(rawText).not.toContain(leo.pinHash);
    // A device of one of Leo's stores does get him (and still not the admin).
    const paris = await usersSeenBy('st-par-01');
    expect(paris.users.map((u) => u.id).sort()).toEqual(['u-leo', 'u-maya', 'u-sam', 'u-tess']);
  });

  it('an administrator given a store explicitly reaches that store only; rows an older server published to every store stay undelivered', async () => {
    await t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: {
        id: 'u-ops',
        name: 'Olga Ops',
        role: 'admin',
        pin: '73914682',
        storeIds: ['st-man-01'],
      },
    });
    // What an older server wrote for an every-store administrator: a change for every device.
    await t.server.store.db.transaction().execute((trx) =>
      recordChanges(
        trx,
        [
          {
            entity: 'user',
            entity_id: 'u-old-admin',
            op: 'upsert',
            store_id: null,
            value: JSON.stringify({ ...admin, id: 'u-old-admin' }),
          },
        ],
        new Date(),
      ),
    );
    const man = await usersSeenBy('st-man-01');
    expect(man.users.map((u) => u.id)).toContain('u-ops');
    expect(man.users.map((u) => u.id)).not.toContain('u-old-admin');
    const lon = await usersSeenBy('st-lon-01');
    expect(lon.users.map((u) => u.id)).not.toContain('u-ops');
    expect(lon.rawText).not.toContain('u-old-admin');
  });
});

describe('PIN policy', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    await t.call('POST', '/v1/admin/fleet', {
      token: t.adminToken,
      body: {
        stores: [
          { id: 'S-1', name: 'One', region: 'North', ring: 'pilot', timezone: 'Europe/Paris' },
        ],
        terminals: [],
      },
    });
  });
  afterAll(() => t.close());

  const createUser = (id: string, pin: string) =>
    t.call('POST', '/v1/admin/users', {
      token: t.adminToken,
      body: { id, name: id, role: 'technician', pin, storeIds: ['S-1'] },
    });
  const userCount = async () =>
    Number(
      (
        await t.server.store.db
          .selectFrom('users')
          // The test server's own administrator aside.
          .where('id', '!=', TEST_ADMIN.id)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('refuses a user whose PIN has fewer than 6 digits, and stores nothing', async () => {
    const refused = await createUser('u-short', '4821');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_input' });
    expect(refused.body.message).toMatch(/at least 6 digits/);
    expect(refused.body.message).not.toContain('4821');
    expect(await userCount()).toBe(0);
    expect((await createUser('u-ok', '482193')).status).toBe(200);
    expect(await userCount()).toBe(1);
  });

  it('follows a stricter published policy, refuses a short one unless it is a demo policy, and publishes it to devices', async () => {
    await setPinPolicy(t.server.store.db, { minDigits: 8 }, new Date());
    expect((await createUser('u-six', '482193')).status).toBe(400);
    expect((await createUser('u-eight', '48219377')).status).toBe(200);
    await expect(
      setPinPolicy(t.server.store.db, { minDigits: 4 }, new Date()),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    const token = await enrollSim(t, createSimDevice('S-1'), 'S-1');
    const policies = (await pullAllChanges(t, token)).filter((c) => c.entity === 'pinPolicy');
    expect(policies).toEqual([{ entity: 'pinPolicy', op: 'upsert', value: { minDigits: 8 } }]);
    await setPinPolicy(t.server.store.db, { minDigits: 4, isDemo: true }, new Date());
    expect((await createUser('u-demo', '1234')).status).toBe(200);
  });
});
