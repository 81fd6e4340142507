/**
 * Named administrators for tests: the way a real server gets its first one
 * (the bootstrap token's one use), returning that administrator's admin token.
 */
import type { Kysely } from 'kysely';
import { issueToken } from '../auth/tokens.ts';
import type { AdminActedBy } from '../admins/actions.ts';
import { bootstrapFirstAdmin } from '../admins/service.ts';
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
 * their admin token. The bootstrap adds one entry to the central log.
 */
export async function bootstrapTestAdmin(
  server: { store: { db: Kysely<ServerSchema> }; key: LogKey },
  admin: { id: string; name: string; pin: string } = TEST_ADMIN,
): Promise<{ adminToken: string; bootstrapToken: string }> {
  const now = new Date();
  const bootstrapToken = await issueToken(server.store.db, 'admin', { label: 'bootstrap', now });
  const { token } = await bootstrapFirstAdmin(server.store.db, server.key, admin, now);
  return { adminToken: token, bootstrapToken };
}
