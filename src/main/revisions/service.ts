/**
 * Revisions on the console: the documents this console's catalog holds with
 * their start checks and histories, and — at a release desk — the central
 * server's histories and a committee member's approval in the name of the
 * person signed in (the server checks the committee, the author and the
 * hash again; a refusal comes back with its code).
 */
import { AppError } from '../../shared/errors.ts';
import type {
  RevisionDocumentView,
  RevisionHistory,
  RevisionRow,
} from '../../shared/contract/revisions.ts';
import {
  deskRevisionDocuments,
  deskRevisions,
  type DeskRevisionDocuments,
  type DeskRevisions,
} from '../../shared/revisions/deskProtocol.ts';
import { countedApprovers } from '../../shared/revisions/gate.ts';
import { revisionView, type RevisionKind } from '../../shared/revisions/revisions.ts';
import type { CallContext } from '../app/dispatcher.ts';
import type { Db } from '../db/open.ts';
import type { DeskService } from '../desk/service.ts';
import { readDocumentRevisions } from './catalog.ts';
import { documentGate } from './gate.ts';

export type RevisionsService = ReturnType<typeof createRevisionsService>;

type HeldDocument = {
  kind: RevisionKind;
  docId: string;
  title: string;
  releaseId: string | null;
  content: unknown;
};

export function createRevisionsService(deps: { db: Db; desk: Pick<DeskService, 'request'> }) {
  const { db } = deps;

  /** The runbooks and templates this console holds, as the catalog delivered them. */
  function held(): HeldDocument[] {
    const versions = new Map(
      (
        db.sqlite.prepare('SELECT id, version FROM releases').all() as Array<{
          id: string;
          version: string;
        }>
      ).map((r) => [r.id, r.version]),
    );
    const runbooks = (
      db.sqlite
        .prepare('SELECT data FROM deployment_runbooks ORDER BY release_id')
        .pluck()
        .all() as string[]
    ).map((text): HeldDocument => {
      const content = JSON.parse(text) as { id: string; releaseId: string };
      return {
        kind: 'runbook',
        docId: content.id,
        title: versions.get(content.releaseId) ?? content.releaseId,
        releaseId: content.releaseId,
        content,
      };
    });
    const templates = (
      db.sqlite
        .prepare('SELECT data FROM checklist_templates ORDER BY name, id')
        .pluck()
        .all() as string[]
    ).map((text): HeldDocument => {
      const content = JSON.parse(text) as { id: string; name: string };
      return {
        kind: 'checklistTemplate',
        docId: content.id,
        title: content.name,
        releaseId: null,
        content,
      };
    });
    return [...runbooks, ...templates];
  }

  function documents(): RevisionDocumentView[] {
    return held().map((d) => ({
      kind: d.kind,
      docId: d.docId,
      title: d.title,
      releaseId: d.releaseId,
      gate: documentGate(db, d),
    }));
  }

  function history(input: { kind: RevisionKind; docId: string }): RevisionHistory {
    const doc = held().find((d) => d.kind === input.kind && d.docId === input.docId);
    const revisions = readDocumentRevisions(db, input.kind, input.docId);
    if (!doc && revisions.length === 0)
      throw new AppError(
        'not_found',
        'This runbook or checklist template is not in the catalog. Sync to get the latest catalog.',
      );
    const gate = doc ? documentGate(db, doc) : null;
    return {
      kind: input.kind,
      docId: input.docId,
      title: doc?.title ?? input.docId,
      revisions: revisions.map((r): RevisionRow => ({
        number: r.number,
        publishedAt: r.publishedAt,
        authorId: r.authorId,
        contentHash: r.contentHash,
        requiredApprovals: r.requiredApprovals,
        approvals: r.approvals,
        approvalCount: countedApprovers(r).length,
        diff: r.diff,
      })),
      heldNumber: gate && 'number' in gate ? gate.number : null,
    };
  }

  async function deskDocuments(): Promise<DeskRevisionDocuments> {
    return deskRevisionDocuments.parse(await deps.desk.request('/v1/desk/revision-documents'));
  }

  async function deskHistory(input: { kind: RevisionKind; docId: string }): Promise<DeskRevisions> {
    const q = new URLSearchParams({ kind: input.kind, docId: input.docId });
    return deskRevisions.parse(await deps.desk.request(`/v1/desk/revisions?${q.toString()}`));
  }

  async function approve(
    ctx: CallContext,
    input: { kind: RevisionKind; docId: string; number: number; contentHash: string },
  ): Promise<DeskRevisions> {
    const actedBy = ctx.session?.user.id;
    if (!actedBy) throw new AppError('not_signed_in', 'Sign in to approve a revision.');
    revisionView.parse(
      await deps.desk.request('/v1/desk/revisions/approve', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ actedBy, ...input }),
      }),
    );
    return deskHistory(input);
  }

  return { documents, history, deskDocuments, deskHistory, approve };
}
