import type { Migration } from 'kysely/migration';
import * as m0010 from './0010-journal.ts';
import * as m0020 from './0020-catalog.ts';
import * as m0030 from './0030-fleet.ts';
import * as m0040 from './0040-sync.ts';
import * as m0050 from './0050-store-release-counts.ts';
import * as m0060 from './0060-checklists.ts';
import * as m0070 from './0070-deployments.ts';
import * as m0080 from './0080-deployment-actors.ts';
import * as m0090 from './0090-feed.ts';
import * as m0100 from './0100-desk.ts';
import * as m0110 from './0110-quarantine-marks.ts';
import * as m0130 from './0130-app-version.ts';
import * as m0150 from './0150-store-devices.ts';
import * as m0160 from './0160-desk-superseded.ts';
import * as m0200 from './0200-feedback.ts';
import * as m0300 from './0300-support-desk-views.ts';
import * as m0600 from './0600-release-extras.ts';
import * as m0700 from './0700-health-cache.ts';
import * as m0710 from './0710-notices.ts';
import * as m0900 from './0900-audit-inclusion.ts';
import * as m1000 from './1000-evidence-upload-refusals.ts';
import * as m1100 from './1100-chain-feature-requests.ts';
import * as m1400 from './1400-compliance-rules.ts';
import * as m1500 from './1500-risks-and-store-notes.ts';
import * as m1700 from './1700-notice-roles.ts';
import * as m1800 from './1800-document-revisions.ts';
import * as m2000 from './2000-store-countries.ts';

/**
 * Every migration, in order, bundled in. Names are never reused and a
 * released migration is never edited: add a new one (steps of 10).
 */
export const migrations: Record<string, Migration> = {
  '0010-journal': m0010,
  '0020-catalog': m0020,
  '0030-fleet': m0030,
  '0040-sync': m0040,
  '0050-store-release-counts': m0050,
  '0060-checklists': m0060,
  '0070-deployments': m0070,
  '0080-deployment-actors': m0080,
  '0090-feed': m0090,
  '0100-desk': m0100,
  '0110-quarantine-marks': m0110,
  '0130-app-version': m0130,
  '0150-store-devices': m0150,
  '0160-desk-superseded': m0160,
  '0200-feedback': m0200,
  '0300-support-desk-views': m0300,
  '0600-release-extras': m0600,
  '0700-health-cache': m0700,
  '0710-notices': m0710,
  '0900-audit-inclusion': m0900,
  '1000-evidence-upload-refusals': m1000,
  '1100-chain-feature-requests': m1100,
  '1400-compliance-rules': m1400,
  '1500-risks-and-store-notes': m1500,
  '1700-notice-roles': m1700,
  '1800-document-revisions': m1800,
  '2000-store-countries': m2000,
};
