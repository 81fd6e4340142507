/**
 * The console's own update policy, as the catalog publishes it: which update
 * channel each ring follows, the staged percentage per ring (until the
 * release desk's rollout gives one), and the administrators' pins and
 * controlled downgrades per store or ring. Parsed strictly: a channel that is
 * not one of ours, a percentage out of range or a version that is not semver
 * is refused.
 */
import { valid } from 'semver';
import { z } from 'zod';
import { RINGS, type Ring } from '../domain/releases.ts';

/** The channels electron-builder publishes (`<channel>.yml` in the feed). */
export const UPDATE_CHANNELS = ['alpha', 'beta', 'latest'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

const version = z.string().refine((v) => valid(v) !== null, 'a version is semver, e.g. 2.4.1');
const scope = z.union([
  z.object({ storeId: z.string().min(1).max(64) }).strict(),
  z.object({ ring: z.enum(RINGS) }).strict(),
]);
export type PolicyScope = z.infer<typeof scope>;
const perRing = <T extends z.ZodType>(value: T) =>
  z.object(Object.fromEntries(RINGS.map((r) => [r, value])) as Record<Ring, T>).strict();

export const consoleUpdatePolicy = z
  .object({
    channels: perRing(z.enum(UPDATE_CHANNELS)),
    /** Share of the ring's stores (0–100) that take a new version now. */
    stagedPercent: perRing(z.number().int().min(0).max(100)),
    /** Never move past this version (audited: who and why). */
    pins: z
      .array(
        z
          .object({
            scope,
            version,
            reason: z.string().trim().min(1).max(500),
            by: z.string().min(1).max(64),
          })
          .strict(),
      )
      .max(1000),
    /** Allow going back to exactly this version (audited: who and why). */
    downgrades: z
      .array(
        z
          .object({
            scope,
            toVersion: version,
            reason: z.string().trim().min(1).max(500),
            by: z.string().min(1).max(64),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();
export type ConsoleUpdatePolicy = z.infer<typeof consoleUpdatePolicy>;

/** Before the catalog publishes a policy: lab tries alphas, pilot betas, the rest the stable channel, all at once. */
export const DEFAULT_UPDATE_POLICY: ConsoleUpdatePolicy = {
  channels: { lab: 'alpha', pilot: 'beta', early: 'latest', general: 'latest' },
  stagedPercent: { lab: 100, pilot: 100, early: 100, general: 100 },
  pins: [],
  downgrades: [],
};

/** The catalog id of the one console update policy. */
export const CONSOLE_UPDATE_POLICY_ID = 'console-update-policy';
