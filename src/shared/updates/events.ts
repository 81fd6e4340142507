/**
 * Journal events of the console's own update: every refusal (a pin honoured,
 * a downgrade not allowed, a manifest or file that does not check out) and
 * every verified update (a controlled downgrade included), recorded under
 * whoever is signed in at the console, so the central log shows which
 * console took which version, and why another was refused.
 */
import { z } from 'zod';
import type { EventTypeSpec } from '../audit/eventTypeSpec.ts';
import { ROLES } from '../domain/roles.ts';
import { UPDATE_CHANNELS } from './policy.ts';

/** Why an update was refused: the policy's codes, then the manifest check's. */
const UPDATE_REFUSAL_REASONS = [
  'past_pin',
  'downgrade_not_allowed',
  'unknown_pin',
  'same_version',
  'malformed',
  'wrong_log',
  'bad_signature',
  'wrong_release',
  'unknown_file',
  'size_mismatch',
  'hash_mismatch',
  'no_log_key',
  'unreachable',
] as const;
export type UpdateRefusalReason = (typeof UPDATE_REFUSAL_REASONS)[number];

const version = z.string().min(1).max(64);
const channel = z.enum(UPDATE_CHANNELS);

export const CONSOLE_UPDATE_EVENT_TYPES = {
  'console.update.refused': {
    payload: z
      .object({
        fromVersion: version,
        version,
        channel,
        reason: z.enum(UPDATE_REFUSAL_REASONS),
        message: z.string().min(1).max(1000),
      })
      .strict(),
    roles: ROLES,
  },
  'console.update.verified': {
    payload: z
      .object({
        fromVersion: version,
        version,
        channel,
        isDowngrade: z.boolean(),
        /** The administrator's reason for a pin or downgrade that applied, else null. */
        policyReason: z.string().max(600).nullable(),
        /**
         * The log index of the manifest's server entry: an auditor fetches its
         * inclusion proof to prove which manifest this console installed.
         * Null when the server did not log it; absent from older consoles.
         */
        logIndex: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
      })
      .strict(),
    roles: ROLES,
  },
} as const satisfies Record<string, EventTypeSpec>;
