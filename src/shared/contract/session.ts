/** Session channels: who is signed in, the sign-in picker, offline sign-in and sign-out. */
import { z } from 'zod';
import type { SessionStatus, UserSummary } from '../session/types.ts';
import { call } from './define.ts';
import { empty, id, pin } from './schemas.ts';

export const sessionContract = {
  /** Who is signed in, and whether there is a catalog to sign in against. */
  'session:status': call<SessionStatus>()({ input: empty, access: 'public' }),
  /** Users of the catalog, for the sign-in picker (no PIN hashes). */
  'session:listUsers': call<UserSummary[]>()({ input: empty, access: 'public' }),
  /** Offline sign-in with a PIN checked against the catalog's scrypt hash. */
  'session:signIn': call<SessionStatus>()({
    input: z.object({ userId: id, pin }).strict(),
    access: 'public',
  }),
  'session:signOut': call<SessionStatus>()({ input: empty, access: 'signedIn' }),
} as const;
