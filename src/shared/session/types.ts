/** Who is signed in at this console, and what the sign-in screen needs. */
import type { Role } from '../domain/roles.ts';

export type UserSummary = { id: string; name: string; role: Role };

export type Session = { user: UserSummary; deviceId: string; signedInAt: string };

export type SessionStatus = {
  session: Session | null;
  /** No catalog yet: the first-run screen offers the demo fleet. */
  hasCatalog: boolean;
  /**
   * The catalog is the demo fleet ("Try the demo fleet"): what is recorded on
   * it stays on this computer and is never sent to a central server. Always
   * set by the console's back end; optional so a status built elsewhere (a
   * test double, an older back end) reads as "not the demo fleet".
   */
  isDemoFleet?: boolean;
  isEnrolled: boolean;
  deviceId: string;
};
