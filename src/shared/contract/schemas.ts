import { z } from 'zod';
import { RINGS } from '../domain/releases.ts';
import { rule } from './rules.ts';

/** Shared field schemas: every string is bounded, every object strict. */
export const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be an identifier');
export const shortText = z.string().max(200);
export const searchText = z.string().max(100);
export const pin = z
  .string()
  .refine((text) => /^\d{4,12}$/.test(text), rule('pin_format', 'A PIN is 4 to 12 digits.'));
export const version = z.string().min(1).max(64);
export const ring = z.enum(RINGS);
export const empty = z.object({}).strict();
export const pageWindow = {
  offset: z.number().int().min(0).max(10_000_000),
  limit: z.number().int().min(1).max(500),
};
/** A reason a person gives (waiver, decision): short enough to read, long enough to mean something. */
export const reasonText = z
  .string()
  .trim()
  .refine(
    (text) => text.length >= 3,
    rule('reason_too_short', 'Give a reason (at least 3 characters).', { minimum: 3 }),
  )
  .refine(
    (text) => text.length <= 1000,
    rule('text_too_long', 'Keep it under 1,000 characters.', { maximum: 1000 }),
  );
