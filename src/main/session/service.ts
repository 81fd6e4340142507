/**
 * Offline sign-in against the catalog's users. PINs are checked with scrypt
 * in constant time against hashes stored sealed (db/sealer.ts); a PIN shorter
 * than the catalog's policy (6 digits unless a demo catalog says 4) is refused
 * with `pin_too_short`; five wrong PINs in a row lock that user for five minutes,
 * kept in `sign_in_failures` so restarting the console does not reset it.
 * Signing in and out are journal events. The one current session lives in
 * memory: a restart signs everyone out, which is the safe default for a
 * shared counter machine.
 */
import type { Session, UserSummary } from '../../shared/contract/index.ts';
import type { Role } from '../../shared/domain/roles.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import { verifyPin } from './pin.ts';
import { assertPinMeetsPolicy, effectivePinPolicy } from './pinPolicy.ts';

export const MAX_WRONG_PINS = 5;
export const LOCKOUT_MS = 5 * 60_000;

export type CatalogUserRow = {
  id: string;
  name: string;
  role: Role;
  pinHash: string;
  storeIds: string[];
};

export type SessionService = {
  listUsers(): UserSummary[];
  getUser(userId: string): CatalogUserRow | null;
  current(): Session | null;
  /** Verifies the PIN and signs in; throws pin_too_short, wrong_pin, locked_out or not_found and records nothing on failure. */
  signIn(userId: string, pin: string): Promise<Session>;
  signOut(): void;
  /** Re-checks the signed-in user's PIN (sign-offs), with the same lockout. */
  confirmPin(userId: string, pin: string): Promise<void>;
};

export function createSessionService(options: {
  db: Db;
  journal: Journal;
  now: () => Date;
  /** The store events are filed under when no store is implied: the enrolled store, if any. */
  deviceStoreId: () => string | null;
}): SessionService {
  const { db, journal, now } = options;
  let session: Session | null = null;

  function getUser(userId: string): CatalogUserRow | null {
    const row = db.sqlite
      .prepare('SELECT id, name, role, pin_hash, store_ids FROM users WHERE id = ?')
      .get(userId) as
      { id: string; name: string; role: Role; pin_hash: string; store_ids: string } | undefined;
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      pinHash: db.sealer.open(row.pin_hash, 'users.pin_hash'),
      storeIds: JSON.parse(row.store_ids) as string[],
    };
  }

  function eventStoreId(user: CatalogUserRow): string {
    return options.deviceStoreId() ?? user.storeIds[0] ?? 'all-stores';
  }

  function failures(
    userId: string,
  ): { failed_count: number; locked_until: string | null } | undefined {
    return db.sqlite
      .prepare('SELECT failed_count, locked_until FROM sign_in_failures WHERE user_id = ?')
      .get(userId) as { failed_count: number; locked_until: string | null } | undefined;
  }

  async function checkPin(user: CatalogUserRow, pin: string): Promise<void> {
    // A PIN below the catalog's policy is refused before it is checked, and not counted as a wrong try.
    assertPinMeetsPolicy(pin, effectivePinPolicy(db), user.name);
    const at = now();
    const before = failures(user.id);
    if (before?.locked_until && Date.parse(before.locked_until) > at.getTime()) {
      throw lockedOut(user, before.locked_until, at);
    }
    if (await verifyPin(pin, user.pinHash)) return;
    // Re-read after the await: another attempt may have counted meanwhile.
    const current = failures(user.id);
    const isExpiredLock =
      current?.locked_until != null && Date.parse(current.locked_until) <= at.getTime();
    const count = (isExpiredLock ? 0 : (current?.failed_count ?? 0)) + 1;
    const lockedUntil =
      count >= MAX_WRONG_PINS ? new Date(at.getTime() + LOCKOUT_MS).toISOString() : null;
    db.sqlite
      .prepare(
        `INSERT INTO sign_in_failures (user_id, failed_count, locked_until, last_failed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET failed_count = excluded.failed_count, locked_until = excluded.locked_until,
           last_failed_at = excluded.last_failed_at`,
      )
      .run(user.id, lockedUntil ? 0 : count, lockedUntil, at.toISOString());
    if (lockedUntil) throw lockedOut(user, lockedUntil, at);
    const attemptsLeft = MAX_WRONG_PINS - count;
    throw new AppError(
      'wrong_pin',
      `That PIN is not right. ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left before ${user.name} is locked for ${LOCKOUT_MS / 60_000} minutes.`,
      { attemptsLeft },
    );
  }

  function requireUser(userId: string): CatalogUserRow {
    const user = getUser(userId);
    if (!user)
      throw new AppError(
        'not_found',
        'This user is not in the catalog. Pick your name from the list again.',
      );
    return user;
  }

  function recordSignOut(current: Session): void {
    const user = getUser(current.user.id);
    journal.record({
      type: 'session.signed_out',
      storeId: user ? eventStoreId(user) : (options.deviceStoreId() ?? 'all-stores'),
      actor: { userId: current.user.id, role: current.user.role },
      payload: { userId: current.user.id },
      tables: [],
      apply: () => undefined,
    });
  }

  return {
    listUsers() {
      const rows = db.sqlite
        .prepare('SELECT id, name, role FROM users ORDER BY name, id')
        .all() as UserSummary[];
      return rows;
    },
    getUser,
    current: () => session,
    async signIn(userId, pin) {
      const user = requireUser(userId);
      await checkPin(user, pin);
      if (session) {
        recordSignOut(session);
        session = null;
      }
      const { event } = journal.record({
        type: 'session.signed_in',
        storeId: eventStoreId(user),
        actor: { userId: user.id, role: user.role },
        payload: { userId: user.id },
        tables: ['sign_in_failures'],
        apply: () =>
          db.sqlite.prepare('DELETE FROM sign_in_failures WHERE user_id = ?').run(user.id),
      });
      session = {
        user: { id: user.id, name: user.name, role: user.role },
        deviceId: journal.deviceId,
        signedInAt: event.at,
      };
      return session;
    },
    signOut() {
      if (!session) return;
      recordSignOut(session);
      session = null;
    },
    async confirmPin(userId, pin) {
      await checkPin(requireUser(userId), pin);
      db.sqlite.prepare('DELETE FROM sign_in_failures WHERE user_id = ?').run(userId);
    },
  };
}

function lockedOut(user: CatalogUserRow, lockedUntil: string, at: Date): AppError {
  const minutes = Math.max(1, Math.ceil((Date.parse(lockedUntil) - at.getTime()) / 60_000));
  return new AppError(
    'locked_out',
    `Too many wrong PINs: ${user.name} is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}. Try again later or ask a manager.`,
    { lockedUntil },
  );
}
