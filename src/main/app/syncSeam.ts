/**
 * The seam between the composition root and the sync feature: what a sync
 * factory receives and returns. Its own module so that src/main/sync can
 * implement it without importing createApp.ts (which imports sync).
 */
import type { ApiEvents, EventMap, EventName, Session } from '../../shared/contract/index.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/handle.ts';
import type { Logger } from '../log.ts';
import type { FeatureHandlers } from './dispatcher.ts';

export type AppEvents = ApiEvents & {
  emit<E extends EventName>(name: E, payload: EventMap[E]): void;
};

export type SyncPlugin = {
  handlers: FeatureHandlers<'sync'>;
  /** Whether the console is enrolled (shown by `session:status`). */
  isEnrolled: () => boolean;
  /** The enrolled store, under which sign-in events are filed; null before enrollment. */
  storeId: () => string | null;
  close?: () => void | Promise<void>;
};

export type SyncFactory = (deps: {
  db: Db;
  journal: Journal;
  log: Logger;
  now: () => Date;
  events: AppEvents;
  getSession: () => Session | null;
}) => SyncPlugin | Promise<SyncPlugin>;
