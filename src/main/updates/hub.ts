/**
 * Where the composition root meets the desktop updater. createApp builds one
 * hub for every transport; the Electron entry attaches the wired updater
 * (consoleUpdater.ts) once it exists. Browser mode and tests never attach
 * one, so the status bar says updates are managed by the desktop app.
 *
 * The hub also keeps what the renderer reports as open on screen (read by
 * safeToInstall), and records the updater's audit events in the journal
 * under the person signed in; one that happens while nobody is signed in
 * waits for the next sign-in, because every journal event names who acted.
 */
import type { Journal } from '../audit/journal.ts';
import type { Logger } from '../log.ts';
import type { Session } from '../../shared/contract/index.ts';
import type { UpdateStatus } from '../../shared/contract/updates.ts';
import { AppError } from '../../shared/errors.ts';
import type { UpdateAuditEvent, UpdateController } from './consoleUpdater.ts';
import type { OnScreen } from './installFacts.ts';

export type UpdateHub = {
  attach(controller: UpdateController): void;
  status(): UpdateStatus;
  restartNow(): UpdateStatus;
  onScreen(): OnScreen;
  reportScreen(onScreen: OnScreen): void;
  /** Records the event now if someone is signed in, else when someone next is. */
  audit(event: UpdateAuditEvent): void;
  /** Records the events that waited for a session. */
  flushAudit(): void;
};

const UNMANAGED: Omit<UpdateStatus, 'currentVersion'> = {
  phase: 'unmanaged',
  version: null,
  percent: null,
  message: null,
  notNow: [],
  canRestartNow: false,
};

/** Events kept while nobody is signed in; beyond this the oldest are only logged. */
const MAX_WAITING_EVENTS = 50;

export function createUpdateHub(options: {
  journal: Journal;
  session: () => Session | null;
  storeId: () => string | null;
  currentVersion: string | null;
  log: Logger;
}): UpdateHub {
  let controller: UpdateController | null = null;
  let onScreen: OnScreen = { openChecklistRuns: [], isSignOffOpen: false };
  const waiting: UpdateAuditEvent[] = [];

  function record(event: UpdateAuditEvent, session: Session): void {
    options.journal.record({
      ...event,
      storeId: options.storeId() ?? 'all-stores',
      actor: { userId: session.user.id, role: session.user.role },
      tables: [],
      apply: () => undefined,
    });
  }

  const hub: UpdateHub = {
    attach(c) {
      controller = c;
    },
    status() {
      hub.flushAudit();
      return controller
        ? controller.status()
        : { ...UNMANAGED, currentVersion: options.currentVersion };
    },
    restartNow() {
      if (!controller) {
        throw new AppError(
          'unavailable',
          'Updates are managed by the desktop app; this browser window cannot install one.',
        );
      }
      hub.flushAudit();
      return controller.restartNow();
    },
    onScreen: () => onScreen,
    reportScreen(next) {
      onScreen = next;
    },
    audit(event) {
      const session = options.session();
      if (session) {
        try {
          record(event, session);
          return;
        } catch (error) {
          options.log.warn({ err: error, type: event.type }, 'could not record the update event');
        }
      }
      if (waiting.length >= MAX_WAITING_EVENTS) {
        options.log.warn({ dropped: waiting.shift() }, 'update audit event not recorded');
      }
      waiting.push(event);
    },
    flushAudit() {
      const session = options.session();
      if (!session) return;
      while (waiting.length > 0) {
        record(waiting[0]!, session);
        waiting.shift();
      }
    },
  };
  return hub;
}
