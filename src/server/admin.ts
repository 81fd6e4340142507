/**
 * The admin command line: the same operations as the admin HTTP API, run
 * directly against the server database (DATA_DIR/--data or DATABASE_URL).
 * `npm run server -- admin help` lists the commands.
 */
import { archiveEvidence } from './evidence/retention.ts';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { catalog as catalogSchema } from '../shared/catalog/schema.ts';
import { issueEnrollmentCode, revokeDevice } from './auth/enroll.ts';
import { issueToken } from './auth/tokens.ts';
import { parseFleetCsv } from './catalog/csv.ts';
import {
  ImportRejected,
  type RowError,
  createUser,
  importFleet,
  recordChanges,
  publishRelease,
} from './catalog/service.ts';
import { adminSetRingTarget, releaseDeskState } from './releaseDesk/service.ts';
import { publishChecklistTemplate, setChecklistRequirement } from './catalog/checklists.ts';
import { setComplianceRule } from './compliance/service.ts';
import { scopeOf, scopeText } from '../shared/compliance/rules.ts';
import {
  PublishRejected,
  parseFields,
  publishFeatureFlag,
  publishRunbook,
  setStoreWindows,
} from './catalog/deployments.ts';
import { checklistTemplate } from '../shared/checklists/template.ts';
import { openServerDb } from './db/open.ts';
import { loadCatalog } from './demo.ts';
import { ServerError, parseInput } from './errors.ts';
import { revokeUser } from './quarantine/catalog.ts';
import { listQuarantine, quarantineQuery } from './quarantine/routes.ts';
import { createServer, revisionApprovalsFromEnv } from './app.ts';
import { issueDeskEnrollmentCode } from './desk/enroll.ts';
import { revokeDesk } from './desk/tokens.ts';
import { rebuildReadModels } from './readModels/rebuild.ts';
import { WEBHOOKS_HELP, runWebhooksCommand } from './webhooks/cli.ts';
import { loadOrCreateLogKey, type LogKey } from './log/keys.ts';
import type { JsonValue } from '../shared/audit/event.ts';
import { runAdminAction, type AdminActedBy, type AdminActionType } from './admins/actions.ts';
import { issueAdminToken, namedAdminExists } from './admins/service.ts';
import { publishRevisioned } from './revisions/service.ts';
import { describeUpdateFile } from './updates/files.ts';
import { publishUpdateManifest, setConsoleUpdatePolicy } from './updates/service.ts';
import { importTestResults, testResultsPayload } from './testResults/service.ts';
import { releasePlanPayload, setReleasePlan } from './calendar/service.ts';
import { publishRisk, publishStoreNotes } from './risks/service.ts';
import { setCommsPlan } from './comms/service.ts';

export const ADMIN_COMMANDS = [
  'help',
  'create-admin-token',
  'auditor-token',
  'import-fleet',
  'import-catalog',
  'publish-release',
  'set-ring-target',
  'release-state',
  'create-user',
  'enrollment-code',
  'revoke-device',
  'list-devices',
  'list-quarantine',
  'revoke-user',
  'publish-runbook',
  'publish-feature-flag',
  'set-store-windows',
  'set-release-plan',
  'publish-checklist-template',
  'set-checklist-requirement',
  'set-compliance-rule',
  'desk-enrollment-code',
  'revoke-desk',
  'rebuild-read-models',
  'webhooks',
  'publish-update',
  'set-update-policy',
  'import-test-results',
  'archive-evidence',
  'publish-risk',
  'publish-store-notes',
  'set-comms-plan',
] as const;
export type AdminCommand = (typeof ADMIN_COMMANDS)[number];

const HELP = `Admin commands (npm run server -- admin <command> [--data DIR]; DATABASE_URL for PostgreSQL):
  create-admin-token [--label L]               with no named administrator yet: print the bootstrap token, which only
                                               creates the first one (POST /v1/admin/bootstrap {id, name, pin})
  create-admin-token --admin ID [--label L]    print a new admin token for a named administrator (a user of role admin)
  (every command that changes the catalog names the administrator it acts for: --as ID or DEARPOS_ADMIN;
   the central log records it with the change)
  auditor-token --label L                      print a new auditor token
  import-fleet --json F | --stores-csv F | --terminals-csv F
                                               create or update stores and terminals; all or nothing, per-row errors
  import-catalog --json F                      a whole catalog file (stores, terminals, releases, ring targets, users)
  publish-release --json F                     publish or update one release (catalog release format)
  set-ring-target --ring R --release ID [--override-reason TEXT]
                                               point a ring at a release, gated like the release desk: refused (promotion_gated,
                                               with the reasons) unless the previous ring's go share and open S1/S2 reports allow it;
                                               --override-reason overrides the gate, appended to the central log
  release-state --release ID                   a release's lifecycle, committee, gates per ring, rollouts, windows, promotions (JSON)
  create-user --id ID --name N --role R [--stores A,B]   PIN from the DEARPOS_PIN environment variable, or typed when asked
                                               (never on the command line: it would stay in shell history and the process list)
  enrollment-code --store ID [--ttl-minutes N] print a single-use enrollment code for a store
  revoke-device --device ID                    revoke a device and its token
  list-devices                                 enrolled devices: id, store, name, last seq, state
  list-quarantine [--store ID] [--after N] [--limit N]
                                               events that broke the actor rule (appended, left out of every read model), with counts
  revoke-user --id ID                          revoke a user: removed from every console; their later events are quarantined
  publish-runbook --json F                     a release's runbook and rollback runbook (replaces the release's previous one)
  publish-feature-flag --json F                a release's feature flag: default, per ring, per store
  set-store-windows --json F                   a store's trading hours and freeze windows (store-local time)
  set-release-plan --json F                    {releaseId, rings: [{ring, start, end}]}: a release's planned days per ring (YYYY-MM-DD)
  publish-checklist-template --json F          a checklist template (smoke or UAT)
  set-checklist-requirement --json F           {releaseId, templateId, terminalCount}: a release requires a checklist
  set-compliance-rule --json F                 {id, name, region | country, releaseIds, checks: [{kind, templateId, terminalCount}]}:
                                               checks a region's or country's stores need before a go (unknown template: nothing stored)
  desk-enrollment-code --desk --scope S --role R [--ttl-minutes N]
                                               a single-use code for a desk: scope all or region:<name>, role support, release or auditor
  revoke-desk ID                               revoke a desk: its token stops working at once
  rebuild-read-models                          rebuild every read model from the central log (one transaction)
  archive-evidence --older-than-days N --to DIR
                                               move evidence bytes older than N days to DIR (hashes stay; set
                                               EVIDENCE_ARCHIVE_DIR=DIR on the server to keep serving them)
  publish-update --channel C --version V --file F [--file F2 …]
                                               hash the installer files (SHA-512) and publish the console version's
                                               update manifest on a channel, signed with the log key (LOG_PRIVATE_KEY or the key file)
  set-update-policy --json F                   the console update policy: channel per ring, staged percentage, pins, downgrades
  import-test-results --release ID --xml F     a release candidate's automated test results (JUnit XML); malformed XML stores nothing
  publish-risk --json F                        a risk of a release's risk register (likelihood, impact, owner, mitigation,
                                               contingency and its rollback step); every console reviews open ones at go / no-go
  publish-store-notes --release ID --markdown F   a release's plain-language notes for store staff ("what's new")
  set-comms-plan --json F                      {releaseId, communications: [{id, audience: {roles, webhook}, when, message}]}:
                                               who is told what and when; when is {anchor: ring_start|ring_end, ring?, offsetDays,
                                               time?} (the release plan's days, UTC) or {anchor: instant, at}; replaces the plan
${WEBHOOKS_HELP}  (publish commands: every problem is listed by field; nothing is published unless all is valid)
`;

/** A JSON file given with --json; unreadable or not JSON is bad input, not a crash. */
function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ServerError('invalid_input', `Cannot read ${file}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ServerError('invalid_input', `${file} is not JSON.`);
  }
}

/** How the admin command line asks for a PIN; tests substitute their own. */
export type AdminIo = { readPin: (question: string) => Promise<string> };

/**
 * Reads a PIN from the terminal without echoing it. Refuses when there is no
 * terminal (a script must set DEARPOS_PIN instead).
 */
export function promptPin(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) {
    return Promise.reject(
      new ServerError(
        'invalid_input',
        'create-user needs a PIN: set DEARPOS_PIN, or run it at a terminal to type the PIN when asked.',
      ),
    );
  }
  process.stderr.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let pin = '';
    const finish = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return resolve(pin);
        }
        if (ch === '\u0003') {
          finish();
          return reject(new ServerError('invalid_input', 'Cancelled; no user was saved.'));
        }
        pin = ch === '\u007f' || ch === '\b' ? pin.slice(0, -1) : pin + ch;
      }
    };
    input.on('data', onData);
  });
}

export async function runAdmin(
  argv: string[],
  io: AdminIo = { readPin: promptPin },
): Promise<number> {
  const [command, ...rest] = argv;
  // Webhook subcommands have options of their own (webhooks/cli.ts).
  if (command === 'webhooks') return runWebhooksAdmin(rest);
  const { values, positionals } = parseArgs({
    args: rest,
    // Only `revoke-desk <id>` takes one; every other command is refused one below.
    allowPositionals: command === 'revoke-desk',
    options: {
      data: { type: 'string' },
      label: { type: 'string' },
      json: { type: 'string' },
      'stores-csv': { type: 'string' },
      'terminals-csv': { type: 'string' },
      ring: { type: 'string' },
      release: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      pin: { type: 'string' },
      stores: { type: 'string' },
      store: { type: 'string' },
      'ttl-minutes': { type: 'string' },
      device: { type: 'string' },
      desk: { type: 'boolean' },
      scope: { type: 'string' },
      after: { type: 'string' },
      limit: { type: 'string' },
      channel: { type: 'string' },
      version: { type: 'string' },
      file: { type: 'string', multiple: true },
      xml: { type: 'string' },
      markdown: { type: 'string' },
      'older-than-days': { type: 'string' },
      to: { type: 'string' },
      'override-reason': { type: 'string' },
      as: { type: 'string' },
      admin: { type: 'string' },
    },
    strict: true,
  });
  if (values.pin !== undefined) {
    // Parsed only to refuse it with a reason: a PIN in argv stays in shell history and `ps`.
    process.stderr.write(
      'A PIN is never taken on the command line (it would stay in shell history and the process list). Set DEARPOS_PIN, or leave it out and type the PIN when asked.\n',
    );
    return 2;
  }
  if (!command || command === 'help' || !(ADMIN_COMMANDS as readonly string[]).includes(command)) {
    process.stdout.write(HELP);
    return command && command !== 'help' ? 2 : 0;
  }
  const dataDir = values.data ?? process.env.DATA_DIR ?? './.data/server';
  const databaseUrl = process.env.DATABASE_URL;
  const now = new Date();
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== 'string' || v === '')
      throw new ServerError('invalid_input', `${command} needs --${name}`);
    return v;
  };
  // Catalog loading reuses the demo loader, which wants a server object; everything else needs the database only.
  if (command === 'import-catalog') {
    const server = await createServer({
      dataDir,
      databaseUrl,
      logKeyPem: process.env.LOG_PRIVATE_KEY,
      rateLimit: false,
    });
    try {
      const adminId = values.as ?? process.env.DEARPOS_ADMIN;
      if (!adminId)
        throw new ServerError(
          'invalid_input',
          'import-catalog changes the catalog: name the administrator you act for with --as ID (or DEARPOS_ADMIN); the central log records it.',
        );
      await loadCatalog(
        server,
        catalogSchema.parse(JSON.parse(readFileSync(need('json'), 'utf8'))),
        { adminId, role: 'admin', via: 'cli' },
      );
      process.stdout.write('catalog imported\n');
    } finally {
      await server.close();
    }
    return 0;
  }
  const store = await openServerDb({ dataDir, databaseUrl });
  const { db } = store;
  let logKey: LogKey | null = null;
  const key = (): LogKey =>
    (logKey ??= loadOrCreateLogKey({ dataDir, pem: process.env.LOG_PRIVATE_KEY }));
  /**
   * The command line holds the database itself, so no token is asked: it
   * names the administrator it acts for (--as, or DEARPOS_ADMIN), and every
   * change it makes is a central action of the log under that name.
   */
  const actedBy = (): AdminActedBy => {
    const adminId = values.as ?? process.env.DEARPOS_ADMIN;
    if (!adminId)
      throw new ServerError(
        'invalid_input',
        `${command} changes the catalog: name the administrator you act for with --as ID (or DEARPOS_ADMIN); the central log records it.`,
      );
    return { adminId, role: 'admin', via: 'cli' };
  };
  const revisionMeta = () => ({
    authorId: actedBy().adminId,
    at: now,
    requiredApprovals: revisionApprovalsFromEnv(),
  });
  const act = async <T>(
    type: AdminActionType,
    change: (d: typeof db) => Promise<T>,
    payload: (result: T) => { [k: string]: JsonValue },
  ): Promise<T> => {
    const { result } = await runAdminAction(
      db,
      key(),
      { actedBy: actedBy(), type, at: now, payload },
      change,
    );
    await store.durable();
    return result;
  };
  try {
    switch (command as Exclude<AdminCommand, 'help' | 'import-catalog' | 'webhooks'>) {
      case 'create-admin-token': {
        if (values.admin === undefined) {
          // No administrator named: the bootstrap token, which creates the first one and nothing else.
          if (await namedAdminExists(db))
            throw new ServerError(
              'bootstrap_spent',
              'A named administrator exists: give the token to one with --admin ID (a user of role admin) and --as ID.',
            );
          process.stdout.write(
            `bootstrap token: ${await issueToken(db, 'admin', { label: values.label ?? 'bootstrap', now })}\n` +
              'It may only create the first administrator: POST /v1/admin/bootstrap {id, name, pin}.\n',
          );
          break;
        }
        const out = await issueAdminToken(
          db,
          key(),
          values.as !== undefined || process.env.DEARPOS_ADMIN !== undefined
            ? actedBy()
            : { adminId: values.admin, role: 'admin', via: 'cli' },
          { userId: values.admin, ...(values.label !== undefined ? { label: values.label } : {}) },
          now,
        );
        await store.durable();
        process.stdout.write(`admin token: ${out.token}\n`);
        break;
      }
      case 'auditor-token': {
        const token = await act(
          'admin.auditorToken.issued',
          (d) => issueToken(d, 'auditor', { label: need('label'), now }),
          () => ({ label: values.label ?? null }),
        );
        process.stdout.write(`auditor token: ${token}\n`);
        break;
      }
      case 'import-fleet': {
        let input: { stores: unknown[]; terminals: unknown[] };
        let csvErrors: RowError[] = [];
        if (values.json) {
          const parsed = JSON.parse(readFileSync(values.json, 'utf8')) as {
            stores?: unknown[];
            terminals?: unknown[];
          };
          input = { stores: parsed.stores ?? [], terminals: parsed.terminals ?? [] };
        } else if (values['stores-csv'] || values['terminals-csv']) {
          const kind = values['stores-csv'] ? 'stores' : 'terminals';
          const csv = parseFleetCsv(
            kind,
            readFileSync((values['stores-csv'] ?? values['terminals-csv'])!, 'utf8'),
          );
          csvErrors = csv.errors;
          input =
            kind === 'stores'
              ? { stores: csv.rows, terminals: [] }
              : { stores: [], terminals: csv.rows };
        } else {
          throw new ServerError(
            'invalid_input',
            'import-fleet needs --json, --stores-csv or --terminals-csv',
          );
        }
        const counts = await act(
          'admin.fleet.imported',
          (d) => importFleet(d, input, now, csvErrors),
          (out) => ({ ...out }),
        );
        process.stdout.write(
          `imported ${counts.stores} stores and ${counts.terminals} terminals\n`,
        );
        break;
      }
      case 'publish-release': {
        const input: unknown = JSON.parse(readFileSync(need('json'), 'utf8'));
        const r = await act(
          'admin.release.published',
          (d) => publishRelease(d, input, now),
          (release) => ({
            releaseId: release.id,
            version: release.version,
            status: release.status,
          }),
        );
        process.stdout.write(`release ${r.id} (${r.version}) published, status ${r.status}\n`);
        break;
      }
      case 'set-ring-target': {
        const reason = values['override-reason'];
        const out = await adminSetRingTarget(
          db,
          key(),
          {
            ring: need('ring'),
            releaseId: need('release'),
            ...(reason !== undefined ? { override: { reason } } : {}),
          },
          actedBy(),
          now,
        );
        await store.durable();
        process.stdout.write(
          `ring ${values.ring} now targets ${values.release}${out.logIndex !== null ? ` (gate overridden: central log entry ${out.logIndex})` : ''}\n`,
        );
        break;
      }
      case 'release-state':
        process.stdout.write(
          `${JSON.stringify(await releaseDeskState(db, null, { releaseId: need('release') }, now), null, 2)}\n`,
        );
        break;
      case 'create-user': {
        const id = need('id');
        let pin = process.env.DEARPOS_PIN;
        if (pin === undefined) {
          pin = await io.readPin(`PIN for ${id}: `);
          if ((await io.readPin('The same PIN again: ')) !== pin)
            throw new ServerError('invalid_input', 'The two PINs differ; no user was saved.');
        }
        const storeIds = values.stores
          ? values.stores
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : [];
        const input = { id, name: need('name'), role: need('role'), pin, storeIds };
        const u = await act(
          'admin.user.created',
          (d) => createUser(d, input, now),
          (user) => ({
            userId: user.id,
            name: user.name,
            role: user.role,
            storeIds: user.storeIds,
          }),
        );
        process.stdout.write(`user ${u.id} (${u.role}) saved\n`);
        break;
      }
      case 'enrollment-code': {
        const ttl = values['ttl-minutes'] ? Number(values['ttl-minutes']) : undefined;
        const storeId = need('store');
        const { code, expiresAt } = await act(
          'admin.enrollmentCode.issued',
          (d) => issueEnrollmentCode(d, storeId, { ttlMinutes: ttl, now }),
          (out) => ({ storeId, expiresAt: out.expiresAt }),
        );
        process.stdout.write(`enrollment code: ${code}\nexpires at: ${expiresAt}\n`);
        break;
      }
      case 'revoke-device':
        {
          const deviceId = need('device');
          await act(
            'admin.device.revoked',
            (d) => revokeDevice(d, deviceId, now),
            () => ({ deviceId }),
          );
        }
        process.stdout.write(`device ${values.device} revoked\n`);
        break;
      case 'publish-risk': {
        const input = readJson(need('json'));
        const r = await act(
          'admin.risk.published',
          (d) => publishRisk(d, input, now),
          (risk) => ({ releaseId: risk.releaseId, riskId: risk.id, status: risk.status }),
        );
        process.stdout.write(`risk ${r.id} (${r.status}) published for release ${r.releaseId}\n`);
        break;
      }
      case 'publish-store-notes': {
        const file = need('markdown');
        let markdown: string;
        try {
          markdown = readFileSync(file, 'utf8');
        } catch {
          throw new ServerError('invalid_input', `Cannot read ${file}.`);
        }
        const releaseId = need('release');
        const n = await act(
          'admin.storeNotes.published',
          (d) => publishStoreNotes(d, { releaseId, markdown }, now),
          (notes) => ({ releaseId: notes.releaseId }),
        );
        process.stdout.write(`notes for stores published for release ${n.releaseId}\n`);
        break;
      }
      case 'set-comms-plan': {
        const input = readJson(need('json'));
        const plan = await act(
          'admin.commsPlan.set',
          (d) => setCommsPlan(d, input, now),
          (p) => ({ releaseId: p.releaseId, communications: p.communications.map((c) => c.id) }),
        );
        process.stdout.write(
          `communication plan of release ${plan.releaseId} set: ${plan.communications.length} communication(s)\n`,
        );
        break;
      }
      case 'publish-runbook': {
        const input = readJson(need('json'));
        const r = await act(
          'admin.runbook.published',
          (d) =>
            publishRevisioned(
              d,
              'runbook',
              (d2, options) => publishRunbook(d2, input, now, options),
              revisionMeta(),
            ),
          ({ document, revision }) => ({
            releaseId: document.releaseId,
            runbookId: document.id,
            revision: { ...revision },
          }),
        ).then(({ document }) => document);
        process.stdout.write(`runbook ${r.id} published for release ${r.releaseId}\n`);
        break;
      }
      case 'publish-feature-flag': {
        const input = readJson(need('json'));
        const f = await act(
          'admin.featureFlag.published',
          (d) => publishFeatureFlag(d, input, now),
          (flag) => ({ releaseId: flag.releaseId, key: flag.key }),
        );
        process.stdout.write(`feature flag ${f.key} published for release ${f.releaseId}\n`);
        break;
      }
      case 'import-test-results': {
        const file = need('xml');
        let xml: string;
        try {
          xml = readFileSync(file, 'utf8');
        } catch {
          throw new ServerError('invalid_input', `Cannot read ${file}.`);
        }
        const releaseId = need('release');
        const summary = await act(
          'admin.testResults.imported',
          (d) => importTestResults(d, { releaseId }, { xml }, now),
          testResultsPayload,
        );
        process.stdout.write(
          `test results imported for release ${summary.releaseId}: ${summary.total} tests, ${summary.failed} failed, ${summary.skipped} skipped in ${summary.suites.length} suite(s)\n`,
        );
        break;
      }
      case 'set-release-plan': {
        const input = readJson(need('json'));
        const plan = await act(
          'admin.releasePlan.set',
          (d) => setReleasePlan(d, input, now),
          releasePlanPayload,
        );
        process.stdout.write(
          `release ${plan.releaseId} planned: ${plan.rings.map((r) => `${r.ring} ${r.start}..${r.end}`).join(', ')}\n`,
        );
        break;
      }
      case 'set-store-windows': {
        const input = readJson(need('json'));
        const w = await act(
          'admin.storeWindows.set',
          (d) => setStoreWindows(d, input, now),
          (windows) => ({ storeId: windows.storeId }),
        );
        process.stdout.write(
          `trading hours and ${w.freezes.length} freeze window(s) set for store ${w.storeId}\n`,
        );
        break;
      }
      case 'publish-checklist-template': {
        const parsed = parseFields(
          checklistTemplate,
          readJson(need('json')),
          'The checklist template',
        );
        const template = await act(
          'admin.checklistTemplate.published',
          (d) =>
            publishRevisioned(
              d,
              'checklistTemplate',
              (d2, options) => publishChecklistTemplate(d2, parsed, now, options),
              revisionMeta(),
            ),
          ({ document, revision }) => ({
            templateId: document.id,
            version: document.version,
            revision: { ...revision },
          }),
        ).then(({ document }) => document);
        process.stdout.write(
          `checklist template ${template.id} (version ${template.version}) published\n`,
        );
        break;
      }
      case 'set-checklist-requirement': {
        const input = readJson(need('json'));
        const r = await act(
          'admin.checklistRequirement.set',
          (d) => setChecklistRequirement(d, input, now),
          (req) => ({ releaseId: req.releaseId, templateId: req.templateId }),
        );
        process.stdout.write(
          `release ${r.releaseId} requires ${r.templateId} on ${r.terminalCount} terminal(s)\n`,
        );
        break;
      }
      case 'set-compliance-rule': {
        const input = readJson(need('json'));
        const rule = await act(
          'admin.complianceRule.set',
          (d) => setComplianceRule(d, input, now),
          (r) => ({ ruleId: r.id, ...scopeOf(r) }),
        );
        process.stdout.write(
          `compliance rule ${rule.id} requires ${rule.checks.map((c) => c.templateId).join(', ')} in ${scopeText(rule)}\n`,
        );
        break;
      }
      case 'revoke-desk': {
        const deskId = positionals[0];
        if (deskId === undefined || positionals.length > 1) {
          process.stderr.write('Name one desk: admin revoke-desk <desk id>\n');
          return 2;
        }
        const out = await act(
          'admin.desk.revoked',
          (d) => revokeDesk(d, { deskId }, now),
          (r) => ({ deskId: r.deskId, revokedAt: r.revokedAt }),
        );
        process.stdout.write(`desk ${out.deskId} revoked at ${out.revokedAt}\n`);
        break;
      }
      case 'desk-enrollment-code': {
        // --desk says what the code is for (as in the issue: `--desk --scope region:EU`); it is implied.
        const ttl = values['ttl-minutes'] ? Number(values['ttl-minutes']) : undefined;
        const input = {
          scope: need('scope'),
          role: need('role'),
          ...(ttl === undefined ? {} : { ttlMinutes: ttl }),
        };
        const out = await act(
          'admin.deskEnrollmentCode.issued',
          (d) => issueDeskEnrollmentCode(d, input, now),
          // Never the code itself: it enrolls a desk.
          (r) => ({ scope: r.scope, role: r.role, expiresAt: r.expiresAt }),
        );
        process.stdout.write(
          `desk enrollment code: ${out.code}\nscope: ${out.scope}\nrole: ${out.role}\nexpires at: ${out.expiresAt}\n`,
        );
        break;
      }
      case 'archive-evidence': {
        const out = await archiveEvidence(store, {
          olderThanDays: Number(need('older-than-days')),
          archiveDir: need('to'),
          now,
        });
        process.stdout.write(
          `archived ${out.archived} evidence files (${out.bytes} bytes) to ${need('to')}\n`,
        );
        break;
      }
      case 'rebuild-read-models': {
        const r = await rebuildReadModels(db, store.kind);
        process.stdout.write(
          `read models rebuilt from ${r.entries} log entries (${r.projected} changed state, ${r.superseded} superseded) in ${Math.round(r.ms)} ms\n`,
        );
        break;
      }
      case 'list-quarantine': {
        const q = parseInput(
          quarantineQuery,
          {
            ...(values.store ? { storeId: values.store } : {}),
            ...(values.after ? { after: values.after } : {}),
            ...(values.limit ? { limit: values.limit } : {}),
          },
          'The quarantine query',
        );
        const page = await listQuarantine(db, q);
        const byReason = Object.entries(page.counts.byReason)
          .filter(([, n]) => n > 0)
          .map(([r, n]) => `${r} ${n}`)
          .join(', ');
        process.stdout.write(
          `${page.counts.total} quarantined event(s)${byReason ? ` (${byReason})` : ''}\n`,
        );
        for (const e of page.entries)
          process.stdout.write(
            `${e.index}\t${e.storeId}\t${e.deviceId} seq ${e.seq}\t${e.type}\t${e.actor.userId} as ${e.actor.role}\t${e.reason}\n`,
          );
        if (page.next !== null) process.stdout.write(`more: --after ${page.next}\n`);
        break;
      }
      case 'revoke-user':
        {
          const userId = need('id');
          await act(
            'admin.user.revoked',
            (d) => revokeUser(d, userId, now, recordChanges),
            (out) => ({ userId, storeIds: out.storeIds }),
          );
        }
        process.stdout.write(`user ${values.id} revoked\n`);
        break;
      case 'publish-update': {
        const files = values.file ?? [];
        if (files.length === 0)
          throw new ServerError(
            'invalid_input',
            'publish-update needs --file (one per installer file)',
          );
        const signed = await publishUpdateManifest(
          db,
          loadOrCreateLogKey({ dataDir, pem: process.env.LOG_PRIVATE_KEY }),
          {
            channel: need('channel'),
            version: need('version'),
            files: await Promise.all(files.map(describeUpdateFile)),
          },
          now,
          actedBy(),
        );
        await store.durable();
        const m = signed.manifest;
        process.stdout.write(
          `console ${m.version} published on ${m.channel}: ${m.files.map((f) => `${f.name} (${f.size} bytes)`).join(', ')}\n`,
        );
        break;
      }
      case 'set-update-policy': {
        const input = readJson(need('json'));
        const policy = await act(
          'admin.updatePolicy.set',
          (d) => setConsoleUpdatePolicy(d, input, now),
          () => ({}),
        );
        process.stdout.write(
          `console update policy published: ${policy.pins.length} pin(s), ${policy.downgrades.length} downgrade(s)\n`,
        );
        break;
      }
      case 'list-devices': {
        const rows = await db.selectFrom('devices').selectAll().orderBy('id').execute();
        for (const r of rows)
          process.stdout.write(
            `${r.id}\t${r.store_id}\t${r.name ?? '(no name)'}\tlast seq ${r.last_seq}\t${r.revoked_at ? `revoked ${r.revoked_at}` : 'active'}\n`,
          );
        break;
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof ImportRejected) {
      process.stderr.write(`${error.message}\n`);
      for (const e of error.rowErrors) process.stderr.write(`  row ${e.row}: ${e.message}\n`);
      return 1;
    }
    if (error instanceof PublishRejected) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      for (const e of error.fieldErrors) process.stderr.write(`  ${e.field}: ${e.message}\n`);
      return 1;
    }
    if (error instanceof ServerError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

async function runWebhooksAdmin(argv: string[]): Promise<number> {
  const dataFlag = argv.indexOf('--data');
  const dataDir =
    (dataFlag >= 0 ? argv[dataFlag + 1] : undefined) ?? process.env.DATA_DIR ?? './.data/server';
  const store = await openServerDb({ dataDir, databaseUrl: process.env.DATABASE_URL });
  try {
    await runWebhooksCommand(store.db, argv, (text) => process.stdout.write(text), {
      key: () => loadOrCreateLogKey({ dataDir, pem: process.env.LOG_PRIVATE_KEY }),
      defaultAdminId: process.env.DEARPOS_ADMIN,
    });
    await store.durable();
    return 0;
  } catch (error) {
    if (error instanceof ServerError) {
      process.stderr.write(`${error.code}: ${error.message}\n`);
      return 1;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  } finally {
    await store.close();
  }
}
