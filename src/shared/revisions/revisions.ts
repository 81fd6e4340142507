/**
 * Revision history of runbooks and checklist templates: every published
 * version keeps its number, date, author, content hash and a line diff
 * against the previous version, and becomes usable only once the required
 * number of administrators (other than its author) have signed its content
 * hash. Pure: the server stores and checks, an auditor can recompute.
 */
import canonicalize from 'canonicalize';
import { z } from 'zod';

export const REVISION_KINDS = ['runbook', 'checklistTemplate'] as const;
export type RevisionKind = (typeof REVISION_KINDS)[number];

/** The text a revision's content hash covers: the RFC 8785 (JCS) form of the document. */
export function revisionContentText(content: unknown): string {
  const text = canonicalize(content);
  if (text === undefined) throw new Error('the document cannot be canonicalized');
  return text;
}

export type DiffLine = { op: ' ' | '+' | '-'; text: string };

/** Above this many line pairs the diff is "everything replaced": a document is a few hundred lines. */
const MAX_DIFF_CELLS = 4_000_000;

/**
 * The line diff between two versions of a document, each shown as indented
 * JSON (what a reviewer reads): longest common subsequence, unchanged lines
 * marked ' ', removed '-', added '+'. The first version diffs against nothing.
 */
export function revisionDiff(previous: unknown, next: unknown): DiffLine[] {
  const a = previous === null ? [] : JSON.stringify(previous, null, 2).split('\n');
  const b = JSON.stringify(next, null, 2).split('\n');
  if (a.length * b.length > MAX_DIFF_CELLS)
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ];
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)
      out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < a.length) out.push({ op: '-', text: a[i++]! });
  while (j < b.length) out.push({ op: '+', text: b[j++]! });
  return out;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'a content hash is 64 lowercase hex digits');
const docId = z.string().min(1).max(64);

/** POST /v1/admin/revisions/approve: an administrator signs a revision's content hash. */
export const approveRevisionInput = z
  .object({
    kind: z.enum(REVISION_KINDS),
    docId,
    number: z.number().int().min(1),
    contentHash: hex64,
  })
  .strict();

/** GET /v1/admin/revisions?kind=&docId= */
export const revisionsQuery = z.object({ kind: z.enum(REVISION_KINDS), docId }).strict();

export const revisionView = z
  .object({
    kind: z.enum(REVISION_KINDS),
    docId: z.string(),
    number: z.number().int(),
    contentHash: hex64,
    publishedAt: z.string(),
    authorId: z.string(),
    diff: z.array(z.object({ op: z.enum([' ', '+', '-']), text: z.string() }).strict()),
    requiredApprovals: z.number().int(),
    approvals: z.array(
      z
        .object({ approverId: z.string(), approvedAt: z.string(), logIndex: z.number().int() })
        .strict(),
    ),
    /** Usable: in the catalog the consoles pull. Null while approvals are missing. */
    approvedAt: z.string().nullable(),
  })
  .strict();
export type RevisionView = z.infer<typeof revisionView>;

export const revisionsResponse = z.object({ revisions: z.array(revisionView) }).strict();
