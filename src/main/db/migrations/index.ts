import type { Migration } from 'kysely/migration';
import * as m0010 from './0010-journal.ts';

/**
 * Every migration, in order, bundled in. Names are never reused and a
 * released migration is never edited: add a new one (steps of 10).
 */
export const migrations: Record<string, Migration> = {
  '0010-journal': m0010,
};
