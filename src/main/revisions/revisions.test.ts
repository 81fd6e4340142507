/**
 * The console refuses to start a run on a runbook or checklist template
 * version nobody approved, whatever the catalog it pulled: a revision record
 * short of approvals (an older server, or approvals raised after
 * publishing), content that matches no published revision, or only the
 * author's own signature. The refusal crosses the IPC boundary as
 * `conflict` with `refusal: 'revision_not_approved'` and records nothing;
 * once approved, the same start goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentView } from '../../shared/contract/deployments.ts';
import type { RevisionDocumentView, RevisionHistory } from '../../shared/contract/revisions.ts';
import type { CatalogDocumentRevision } from '../../shared/revisions/gate.ts';
import { revisionContentText, type RevisionKind } from '../../shared/revisions/revisions.ts';
import type { CatalogChange } from '../../shared/sync/protocol.ts';
import { sha256Hex } from '../audit/journal.ts';
import { expectOk, journalCount, startTestApp, TECH, type TestApp } from '../app/testSupport.ts';
import { readChecklistTemplate } from '../checklists/catalog.ts';
import { readRunbook } from '../deployments/catalog.ts';
import { createCatalogApplier } from '../sync/catalogChanges.ts';

const LILLE_TERMINAL = 'st-lil-01-t1';
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ signInAs: TECH });
});
afterAll(async () => {
  await app.dispose();
});

function pull(revisions: CatalogDocumentRevision[]): void {
  const changes: CatalogChange[] = revisions.map((value) => ({
    entity: 'documentRevision',
    op: 'upsert',
    value,
  }));
  createCatalogApplier({ now: app.clock.now })(app.db, changes, {
    isFirstPage: false,
    serverUrl: 'http://127.0.0.1:1',
  });
}

function revision(
  kind: RevisionKind,
  docId: string,
  content: unknown,
  over: Partial<CatalogDocumentRevision> = {},
): CatalogDocumentRevision {
  return {
    kind,
    docId,
    number: 4,
    contentHash: sha256Hex(revisionContentText(content)),
    authorId: 'u-ada',
    publishedAt: '2026-03-01T09:00:00.000Z',
    requiredApprovals: 1,
    approvals: [],
    diff: [{ op: '+', text: '{' }],
    ...over,
  };
}

async function startRun() {
  return app.dispatch('checklists:startRun', {
    templateId: 'tpl-smoke-pos',
    releaseId: 'rel-4.4.0',
    terminalIds: [LILLE_TERMINAL],
  });
}

describe('consoles refuse an unapproved version', () => {
  it('a checklist run waits for the template revision’s approval; the author’s own does not count', async () => {
    const template = readChecklistTemplate(app.db, 'tpl-smoke-pos')!;
    // A catalog without revision records (a server from before revisions) starts as before.
    const docs = expectOk(await app.dispatch('revisions:documents', {})) as RevisionDocumentView[];
    expect(docs.find((d) => d.docId === 'tpl-smoke-pos')?.gate.status).toBe('unrecorded');

    pull([
      revision('checklistTemplate', 'tpl-smoke-pos', template, {
        approvals: [{ approverId: 'u-ada', approvedAt: '2026-03-01T10:00:00.000Z' }],
      }),
    ]);
    const before = journalCount(app);
    const refused = await startRun();
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({
      code: 'conflict',
      message:
        'Checklist template v4 is waiting for 1 more approval (0 of 1). Nothing was started.',
      details: {
        refusal: 'revision_not_approved',
        kind: 'checklistTemplate',
        docId: 'tpl-smoke-pos',
        gate: { status: 'waiting', number: 4, have: 0, need: 1 },
      },
    });
    expect(journalCount(app)).toBe(before);

    // Content the catalog records no revision for is refused too.
    pull([
      revision(
        'checklistTemplate',
        'tpl-smoke-pos',
        { ...template, name: 'Other' },
        {
          approvals: [{ approverId: 'u-boss', approvedAt: '2026-03-01T10:00:00.000Z' }],
        },
      ),
    ]);
    const unknown = await startRun();
    expect(!unknown.ok && unknown.error.details).toMatchObject({
      gate: { status: 'unknown_content' },
    });

    pull([
      revision('checklistTemplate', 'tpl-smoke-pos', template, {
        approvals: [
          { approverId: 'u-ada', approvedAt: '2026-03-01T10:00:00.000Z' },
          { approverId: 'u-boss', approvedAt: '2026-03-01T11:00:00.000Z' },
        ],
      }),
    ]);
    expectOk(await startRun());
    const history = expectOk(
      await app.dispatch('revisions:history', {
        kind: 'checklistTemplate',
        docId: 'tpl-smoke-pos',
      }),
    ) as RevisionHistory;
    expect(history).toMatchObject({ title: template.name, heldNumber: 4 });
    expect(history.revisions[0]).toMatchObject({
      number: 4,
      approvalCount: 1,
      requiredApprovals: 1,
    });
  });

  it('a deployment is neither planned nor started on a runbook short of approvals, e.g. after they were raised', async () => {
    const runbook = readRunbook(app.db, 'rel-4.4.0')!;
    pull([
      revision('runbook', runbook.id, runbook, {
        number: 2,
        requiredApprovals: 2,
        approvals: [{ approverId: 'u-boss', approvedAt: '2026-03-01T10:00:00.000Z' }],
      }),
    ]);
    const refused = await app.dispatch('deployments:plan', {
      releaseId: 'rel-4.4.0',
      storeId: 'st-lil-01',
    });
    expect(!refused.ok && refused.error.message).toBe(
      'Runbook v2 is waiting for 1 more approval (1 of 2). Nothing was started.',
    );

    const approved = [
      { approverId: 'u-boss', approvedAt: '2026-03-01T10:00:00.000Z' },
      { approverId: 'u-carl', approvedAt: '2026-03-01T11:00:00.000Z' },
    ];
    pull([
      revision('runbook', runbook.id, runbook, {
        number: 2,
        requiredApprovals: 2,
        approvals: approved,
      }),
    ]);
    const planned = expectOk(
      await app.dispatch('deployments:plan', { releaseId: 'rel-4.4.0', storeId: 'st-lil-01' }),
    ) as DeploymentView;
    const docs = expectOk(await app.dispatch('revisions:documents', {})) as RevisionDocumentView[];
    expect(docs.find((d) => d.docId === runbook.id)).toMatchObject({
      title: '4.4.0',
      gate: { status: 'approved', number: 2 },
    });

    // Approvals raised after publishing: the record now asks for three.
    pull([
      revision('runbook', runbook.id, runbook, {
        number: 2,
        requiredApprovals: 3,
        approvals: approved,
      }),
    ]);
    const before = journalCount(app);
    const start = await app.dispatch('deployments:act', {
      deploymentId: planned.state.plan.deploymentId,
      action: {
        type: 'start',
        strategy: 'all_at_once',
        canaryTerminalId: null,
        overrideReason: null,
      },
    });
    expect(!start.ok && start.error).toMatchObject({
      code: 'conflict',
      details: { refusal: 'revision_not_approved', gate: { status: 'waiting', have: 2, need: 3 } },
    });
    expect(journalCount(app)).toBe(before);
  });
});
