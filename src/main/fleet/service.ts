/**
 * The fleet feature: which terminal runs which release. Reads come from the
 * maintained projection; the one write, recording an observed version, is one
 * journal transaction (projection + `fleet.version.recorded` event).
 */
import type {
  FleetFilter,
  FleetFilterOptions,
  FleetMatrix,
  RecordVersionResult,
  Session,
  TerminalDetail,
  TerminalPage,
  TerminalSortKey,
} from '../../shared/contract/index.ts';
import { isValidVersion } from '../../shared/domain/releases.ts';
import { AppError } from '../../shared/errors.ts';
import type { Journal } from '../audit/journal.ts';
import type { Db } from '../db/open.ts';
import {
  applyVersionObservation,
  findReleaseByVersion,
  getFilterOptions,
  getFleetMatrix,
  getStore,
  getTerminalRow,
  getVersionHistory,
  listTerminalWindow,
} from './repository.ts';

/** Tables a recorded version touches, for the renderer's invalidation. */
export const FLEET_TABLES = ['terminal_current', 'terminal_versions'] as const;

export type RecordVersionInput = {
  terminalId: string;
  version: string;
  source: 'typed' | 'scanned';
};

export type FleetService = {
  matrix(filter: FleetFilter): FleetMatrix;
  filterOptions(): FleetFilterOptions;
  listTerminals(input: {
    filter: FleetFilter;
    sort: { key: TerminalSortKey; desc: boolean };
    offset: number;
    limit: number;
  }): TerminalPage;
  getTerminal(terminalId: string): TerminalDetail;
  /**
   * Records the version a technician observed on a terminal. The version must
   * be strict SemVer and a release of the catalog; otherwise nothing is written.
   */
  recordVersion(
    input: RecordVersionInput,
    session: Session,
    userStoreIds: readonly string[],
  ): RecordVersionResult;
};

export function createFleetService(options: { db: Db; journal: Journal }): FleetService {
  const { db, journal } = options;

  return {
    matrix: (filter) => getFleetMatrix(db, filter),
    filterOptions: () => getFilterOptions(db),
    listTerminals: (input) => listTerminalWindow(db, input),
    getTerminal(terminalId) {
      const terminal = getTerminalRow(db, terminalId);
      if (!terminal) throw terminalNotFound();
      const store = getStore(db, terminal.storeId);
      if (!store) throw terminalNotFound();
      return { terminal, store, history: getVersionHistory(db, terminalId) };
    },
    recordVersion(input, session, userStoreIds) {
      // Scanners end with Enter and people paste with spaces: only the outer whitespace is forgiven.
      const version = input.version.trim();
      if (!isValidVersion(version)) {
        throw new AppError(
          'invalid_version',
          `"${version.slice(0, 64)}" is not a release version. Type it as shown on the terminal, like 4.2.1 (no "v", no spaces). Nothing was recorded.`,
        );
      }
      const terminal = getTerminalRow(db, input.terminalId);
      if (!terminal) throw terminalNotFound();
      if (userStoreIds.length > 0 && !userStoreIds.includes(terminal.storeId)) {
        throw new AppError(
          'forbidden',
          `You are not assigned to ${terminal.storeName}, so you cannot record versions there.`,
        );
      }
      const release = findReleaseByVersion(db, version);
      if (!release) {
        throw new AppError(
          'unknown_release',
          `${version} is not a release in the catalog. Check the version on the terminal's About screen, or sync to get the latest catalog. Nothing was recorded.`,
        );
      }
      const { event } = journal.record({
        type: 'fleet.version.recorded',
        storeId: terminal.storeId,
        actor: { userId: session.user.id, role: session.user.role },
        payload: {
          terminalId: terminal.id,
          version,
          releaseId: release.id,
          previousVersion: terminal.version,
          source: input.source,
        },
        tables: FLEET_TABLES,
        apply: (e) => {
          const outcome = applyVersionObservation(db, {
            terminalId: terminal.id,
            releaseId: release.id,
            version,
            at: e.at,
            eventId: e.id,
            recordedBy: session.user.id,
            source: input.source,
          });
          // Cannot happen after the read above in one writer; if it does, roll back rather than journal a no-op.
          if (outcome === 'missing') throw terminalNotFound();
        },
      });
      const updated = getTerminalRow(db, terminal.id);
      if (!updated) throw terminalNotFound();
      return { terminal: updated, eventId: event.id, seq: event.seq };
    },
  };
}

function terminalNotFound(): AppError {
  return new AppError(
    'not_found',
    'This terminal is not in the catalog. Refresh the fleet list and pick it again.',
  );
}
