/**
 * Named administrators for tests: the way a real server gets its first one
 * (the bootstrap token's one use), returning that administrator's admin token.
 */
import type { Kysely } from 'kysely';
import { issueToken } from '../auth/tokens.ts';
import type { AdminActedBy } from '../admins/actions.ts';
import { bootstrapFirstAdmin, namedAdminExists } from '../admins/service.ts';
import type { ServerSchema } from '../db/schema.ts';
import type { LogKey } from '../log/keys.ts';

/** The administrator every test server starts with (a catalog user of role admin). */
export const TEST_ADMIN = { id: 'test-admin', name: 'Test administrator', pin: '246810' } as const;

/** TEST_ADMIN as a central action names them, for tests that call services directly. */
export const TEST_ADMIN_ACTED_BY: AdminActedBy = {
  adminId: TEST_ADMIN.id,
  role: 'admin',
  via: 'cli',
};

/**
 * Spends a new bootstrap token on the first named administrator and returns
 * their admin token. The bootstrap adds one entry to the central log (index
 * 0 on a new server).
 */
export async function bootstrapTestAdmin(
  server: { store: { db: Kysely<ServerSchema> }; key: LogKey },
  admin: { id: string; name: string; pin: string } = TEST_ADMIN,
): Promise<{ adminToken: string; bootstrapToken: string }> {
  const now = new Date();
  const { db } = server.store;
  const bootstrapToken = await issueToken(db, 'admin', { label: 'bootstrap', now });
  // A test server restarted on the same data: the administrator exists; a new token for them
  // (test plumbing, not a central action: the log, perhaps tampered with on purpose, is left alone).
  if (await namedAdminExists(db))
    return { adminToken: await issueToken(db, 'admin', { userId: admin.id, now }), bootstrapToken };
  const { token } = await bootstrapFirstAdmin(db, server.key, admin, now);
  return { adminToken: token, bootstrapToken };
}

/** A bootstrap token not spent yet, for a test that needs an empty log (it stands in as `adminToken`). */
export async function unspentBootstrap(
  db: Kysely<ServerSchema>,
): Promise<{ adminToken: string; bootstrapToken: string }> {
  const bootstrapToken = await issueToken(db, 'admin', { label: 'bootstrap', now: new Date() });
  return { adminToken: bootstrapToken, bootstrapToken };
}
