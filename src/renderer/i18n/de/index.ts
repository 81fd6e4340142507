/** German, the second language: the same keys as English (see messages.ts), in German. */
import type { en } from '../en/index.ts';
import type { Messages } from '../messages.ts';
import { audit } from './audit.ts';
import { centralActions } from './centralActions.ts';
import { changeRequests } from './changeRequests.ts';
import { checklists } from './checklists.ts';
import { common } from './common.ts';
import { compliance } from './compliance.ts';
import { components } from './components.ts';
import { csv } from './csv.ts';
import { decisions } from './decisions.ts';
import { deployments } from './deployments.ts';
import { desk } from './desk.ts';
import { releaseDesk } from './releaseDesk.ts';
import { calendar } from './calendar.ts';
import { domain } from './domain.ts';
import { errors } from './errors.ts';
import { feedback } from './feedback.ts';
import { fleet } from './fleet.ts';
import { health } from './health.ts';
import { notices } from './notices.ts';
import { releases } from './releases.ts';
import { riskComms } from './riskComms.ts';
import { revisions } from './revisions.ts';
import { permissions } from './permissions.ts';
import { reports } from './reports.ts';
import { session } from './session.ts';
import { shell } from './shell.ts';
import { supportDesk } from './supportDesk.ts';
import { sync } from './sync.ts';
import { timeline } from './timeline.ts';

export const de: Messages<typeof en> = {
  audit,
  centralActions,
  common,
  compliance,
  components,
  shell,
  domain,
  checklists,
  changeRequests,
  feedback,
  releases,
  riskComms,
  revisions,
  session,
  desk,
  supportDesk,
  health,
  notices,
  releaseDesk,
  calendar,
  sync,
  decisions,
  reports,
  fleet,
  deployments,
  timeline,
  permissions,
  errors,
  csv,
};
