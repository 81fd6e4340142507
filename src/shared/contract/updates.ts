/**
 * The console's own update as the status bar shows it (download progress,
 * "Restart now" when it is safe, the reason while it is not), and what is
 * open on screen (a checklist being answered, a sign-off being filled in) so
 * the update never restarts the console under someone's hands.
 */
import { z } from 'zod';
import { CHANNEL_ACCESS } from './access.ts';
import { call } from './define.ts';
import { empty, id, shortText } from './schemas.ts';

export const UPDATE_PHASES = [
  /** Browser mode, a development build, or update checks off: the desktop app manages updates. */
  'unmanaged',
  'idle',
  'downloading',
  /** Downloaded; its signed manifest and file hash are being checked. */
  'verifying',
  /** Verified: installs at the next quit, or now with "Restart now" when it is safe. */
  'ready',
  /** Refused (policy or manifest check): the running version stays. */
  'refused',
  'failed',
] as const;
export type UpdatePhase = (typeof UPDATE_PHASES)[number];

export type UpdateStatus = {
  phase: UpdatePhase;
  currentVersion: string | null;
  /** The version being downloaded, ready or refused. */
  version: string | null;
  /** 0–100 while downloading. */
  percent: number | null;
  /** Why it was refused or failed, in plain words. */
  message: string | null;
  /** While ready: every reason it cannot install now (empty when it can). */
  notNow: string[];
  canRestartNow: boolean;
};

/** What the renderer has open that a restart would interrupt. */
const onScreenInput = z
  .object({
    openChecklistRuns: z.array(z.object({ id, label: shortText }).strict()).max(20),
    isSignOffOpen: z.boolean(),
  })
  .strict();

export const updatesContract = {
  'updates:status': call<UpdateStatus>()({ input: empty, access: 'signedIn' }),
  /** Installs the verified update now, only when it is safe (else `conflict` with the reasons). */
  'updates:restartNow': call<UpdateStatus>()({
    input: empty,
    access: CHANNEL_ACCESS['updates:restartNow'],
  }),
  'updates:reportScreen': call<{ ok: true }>()({
    input: onScreenInput,
    access: CHANNEL_ACCESS['updates:reportScreen'],
  }),
} as const;
