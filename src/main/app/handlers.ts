/**
 * The one place the handler map is put together: each feature serves its
 * own channels from src/main/<feature>/handlers.ts, and `combineHandlerMaps`
 * refuses a map that serves another feature's channel, a channel served
 * twice, or one nobody serves. Input is already parsed and access checked
 * when a handler runs (dispatcher.ts).
 */
import { CHANNELS, type Feature, type SessionStatus } from '../../shared/contract/index.ts';
import { createAuditHandlers } from '../audit/handlers.ts';
import { createAuditService } from '../audit/service.ts';
import type { Journal } from '../audit/journal.ts';
import { createChangeRequestsHandlers } from '../changeRequests/handlers.ts';
import { createEvidenceStore } from '../checklists/evidenceStore.ts';
import { createChecklistsHandlers } from '../checklists/handlers.ts';
import { createChecklistService } from '../checklists/service.ts';
import type { Db } from '../db/open.ts';
import { createDecisionsHandlers } from '../decisions/handlers.ts';
import { createDecisionsService } from '../decisions/service.ts';
import { createDemoHandlers } from '../demo/handlers.ts';
import { DEMO_CATALOG_SOURCE } from '../demo/service.ts';
import { createDeploymentsHandlers } from '../deployments/handlers.ts';
import { createDeploymentsService } from '../deployments/service.ts';
import { createDeskHandlers } from '../desk/handlers.ts';
import { createReleaseDeskHandlers, createReleaseDeskService } from '../desk/releaseDesk.ts';
import type { DeskService } from '../desk/service.ts';
import { createSupportDeskService } from '../desk/supportDesk.ts';
import { createSupportDeskHandlers } from '../desk/supportDeskHandlers.ts';
import { createExportsHandlers, type SaveDialog } from '../exports/handlers.ts';
import { createFeedbackHandlers } from '../feedback/handlers.ts';
import { createOurReportsService } from '../feedback/ourReports.ts';
import { createReportService } from '../feedback/reports.ts';
import { createFeatureRequestService } from '../feedback/requests.ts';
import { createFeedbackService } from '../feedback/service.ts';
import { createAttachmentStaging } from '../feedback/staging.ts';
import { catalogSource } from '../fleet/catalog.ts';
import { createFleetHandlers } from '../fleet/handlers.ts';
import { createHealthHandlers } from '../health/handlers.ts';
import { createComplianceHandlers } from '../compliance/handlers.ts';
import { createRevisionsHandlers } from '../revisions/handlers.ts';
import { createRevisionsService } from '../revisions/service.ts';
import { createNoticesHandlers } from '../notices/handlers.ts';
import { createNoticesService } from '../notices/service.ts';
import type { HealthService } from '../desk/health.ts';
import type { FleetService } from '../fleet/service.ts';
import { createReleasesHandlers } from '../releases/handlers.ts';
import { createWhatsNewService } from '../releases/whatsNew.ts';
import type { ReleasesService } from '../releases/service.ts';
import type { PdfPrinter } from '../reports/pdfPrinter.ts';
import { createReportsHandlers } from '../reports/handlers.ts';
import { createReportsService } from '../reports/service.ts';
import { createSessionHandlers } from '../session/handlers.ts';
import type { SessionService } from '../session/service.ts';
import type { FeatureHandlerMaps, FeatureHandlers, Handlers } from './dispatcher.ts';
import { createShellHandlers } from '../shell/handlers.ts';
import type { createRendererErrorLog } from '../shell/rendererErrors.ts';
import { createUpdatesHandlers } from '../updates/handlers.ts';
import type { UpdateHub } from '../updates/hub.ts';

export type HandlerDeps = {
  db: Db;
  journal: Journal;
  sessions: SessionService;
  fleet: FleetService;
  releases: ReleasesService;
  desk: DeskService;
  /** Release health: the desk's KPIs and health pages, a store console's verdicts. */
  health: HealthService;
  /** The sync engine's handlers, or the not-enrolled ones (sync/notEnrolled.ts). */
  sync: FeatureHandlers<'sync'>;
  dataDir: string;
  now: () => Date;
  pdfPrinter?: PdfPrinter | null | undefined;
  /** The desktop's save dialog for exports; none in browser mode. */
  saveDialog?: SaveDialog | null | undefined;
  hasCatalog: () => boolean;
  isEnrolled: () => boolean;
  loadDemo: () => void;
  /** The console's own update (the desktop updater attaches to it; browser mode never does). */
  updates: UpdateHub;
  rendererErrors: ReturnType<typeof createRendererErrorLog>;
  /** Electron's crashDumps folder; null in browser mode. */
  crashDumpDir: string | null;
  /** For bug reports: this console's version, its log file, its enrolled store, the secrets to keep out. */
  appVersion: string;
  logFile: string | null;
  /** Electron's webContents.capturePage (PNG); null in browser mode. */
  capturePage: (() => Promise<Buffer>) | null;
  deviceStoreId: () => string | null;
  reportSecrets: () => string[];
};

/** Builds the services the handler maps share, then one handler map per feature. */
export function createFeatureHandlerMaps(deps: HandlerDeps): FeatureHandlerMaps {
  const { db, journal, sessions, now } = deps;
  const status = (): SessionStatus => ({
    session: sessions.current(),
    hasCatalog: deps.hasCatalog(),
    isDemoFleet: catalogSource(db) === DEMO_CATALOG_SOURCE,
    isEnrolled: deps.isEnrolled(),
    deviceId: journal.deviceId,
  });
  const evidence = createEvidenceStore(deps.dataDir);
  const checklists = createChecklistService({ db, journal, evidence });
  const feedback = createFeedbackService({ db, journal, checklists });
  const decisions = createDecisionsService({
    db,
    journal,
    sessions,
    evidence,
    checklists,
    now,
  });
  const reports = createReportsService({ db, checklists, decisions, now });
  const deployments = createDeploymentsService({ db, journal, now });
  return {
    session: createSessionHandlers({ sessions, status }),
    demo: createDemoHandlers({ loadDemo: deps.loadDemo, status }),
    fleet: createFleetHandlers({ fleet: deps.fleet, sessions }),
    releases: createReleasesHandlers(deps.releases, {
      db,
      sessions,
      whatsNew: createWhatsNewService({ db, journal, deviceStoreId: deps.deviceStoreId }),
    }),
    sync: deps.sync,
    checklists: createChecklistsHandlers({ checklists, sessions, db, now }),
    feedback: createFeedbackHandlers({
      feedback,
      sessions,
      staging: createAttachmentStaging(deps.dataDir, evidence),
      ourReports: createOurReportsService({ db, journal, deviceStoreId: deps.deviceStoreId }),
      requests: createFeatureRequestService({ db, journal, deviceStoreId: deps.deviceStoreId }),
      reports: createReportService({
        db,
        journal,
        checklists,
        evidence,
        appVersion: deps.appVersion,
        logFile: deps.logFile,
        crashDumpDir: deps.crashDumpDir,
        deviceStoreId: deps.deviceStoreId,
        secrets: deps.reportSecrets,
      }),
    }),
    decisions: createDecisionsHandlers({ decisions, sessions }),
    reports: createReportsHandlers({ reports, pdfPrinter: deps.pdfPrinter }),
    deployments: createDeploymentsHandlers({ deployments, sessions }),
    changeRequests: createChangeRequestsHandlers({ deployments, sessions }),
    desk: createDeskHandlers(deps.desk),
    supportDesk: createSupportDeskHandlers(createSupportDeskService({ db, desk: deps.desk, now })),
    health: createHealthHandlers(deps.health),
    notices: createNoticesHandlers({
      notices: createNoticesService({ db, journal, now }),
      sessions,
    }),
    releaseDesk: createReleaseDeskHandlers(createReleaseDeskService({ desk: deps.desk })),
    audit: createAuditHandlers(journal, createAuditService({ db, now })),
    updates: createUpdatesHandlers(deps.updates),
    shell: createShellHandlers({
      rendererErrors: deps.rendererErrors,
      crashDumpDir: deps.crashDumpDir,
      capturePage: deps.capturePage,
      evidence,
    }),
    exports: createExportsHandlers(deps.saveDialog),
    compliance: createComplianceHandlers(deps.desk),
    revisions: createRevisionsHandlers(createRevisionsService({ db, desk: deps.desk })),
  };
}

/**
 * One handler map from the features' maps. The types already hold each map
 * to its feature's channels; this check also holds at run time, where a map
 * built by a plug-in (the sync engine) or cast could slip through.
 */
export function combineHandlerMaps(maps: FeatureHandlerMaps): Handlers {
  const combined: Record<string, unknown> = {};
  for (const [feature, map] of Object.entries(maps) as Array<[Feature, object]>) {
    for (const [channel, handler] of Object.entries(map)) {
      if (!channel.startsWith(`${feature}:`)) {
        throw new Error(
          `The ${feature} handler map serves "${channel}": each feature serves only its own channels (src/main/<feature>/handlers.ts).`,
        );
      }
      if (Object.hasOwn(combined, channel)) throw new Error(`"${channel}" is served twice.`);
      combined[channel] = handler;
    }
  }
  const missing = CHANNELS.filter((channel) => !Object.hasOwn(combined, channel));
  if (missing.length > 0) throw new Error(`No handler serves ${missing.join(', ')}.`);
  return combined as Handlers;
}
