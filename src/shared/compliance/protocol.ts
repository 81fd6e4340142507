/**
 * The compliance report per release and region (server routes in
 * src/server/compliance/): each store of the region, each check its rules
 * require, the check's result, who signed it, the evidence hashes, and the
 * central log's inclusion proof of the result event it rests on, against the
 * signed tree head the report carries, so an auditor verifies each line with
 * SHA-256 and Ed25519 alone.
 */
import { z } from 'zod';
import { countryCode } from '../fleet/countries.ts';
import { inclusionProof, signedTreeHead } from '../sync/protocol.ts';
import { COMPLIANCE_CHECK_KINDS, complianceRule } from './rules.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const COMPLIANCE_ROUTES = {
  setComplianceRule: { method: 'POST', url: '/v1/admin/compliance-rules', auth: 'admin' },
  /** Auditor or admin token: every region. */
  auditComplianceReport: { method: 'GET', url: '/v1/audit/compliance-report', auth: 'auditor' },
  auditComplianceReportCsv: {
    method: 'GET',
    url: '/v1/audit/compliance-report.csv',
    auth: 'auditor',
  },
  /** A desk token: a region inside its scope. */
  deskComplianceReport: { method: 'GET', url: '/v1/desk/compliance-report', auth: 'desk' },
  deskComplianceReportCsv: {
    method: 'GET',
    url: '/v1/desk/compliance-report.csv',
    auth: 'desk',
  },
} as const;

/** A report covers the stores of one region or of one country (ISO 3166-1 alpha-2): exactly one. */
export const complianceReportQuery = z
  .object({
    releaseId: idText,
    region: z.string().min(1).max(60).optional(),
    country: countryCode.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.region !== undefined && q.country !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['country'],
        message: 'ask for a region or a country, not both',
      });
    if (q.region === undefined && q.country === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['region'],
        message: 'name the region or the country (ISO 3166-1 alpha-2) the report covers',
      });
  });
export type ComplianceReportQuery = z.infer<typeof complianceReportQuery>;

/** Where a required check stands at a store: `missing` when no run of its template counts yet. */
const COMPLIANCE_CHECK_RESULTS = ['passed', 'passed_with_waivers', 'failed', 'missing'] as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const isoTime = z.iso.datetime({ offset: false });

/** A log entry and its inclusion proof in the report's tree head. */
const complianceProof = z
  .object({ eventId: z.string(), eventHash: hex64, proof: inclusionProof })
  .strict();

const person = z.object({ userId: z.string(), name: z.string(), role: z.string() }).strict();

export const complianceReportCheck = z
  .object({
    ruleId: z.string(),
    ruleName: z.string(),
    kind: z.enum(COMPLIANCE_CHECK_KINDS),
    templateId: z.string(),
    templateName: z.string(),
    terminalCount: z.number().int(),
    result: z.enum(COMPLIANCE_CHECK_RESULTS),
    /** Terminals whose current run of the template passed (waivers included). */
    passedTerminals: z.number().int(),
    /** Who recorded the last answer the result rests on; null while missing. */
    signer: person.nullable(),
    signedAt: isoTime.nullable(),
    evidence: z.array(hex64),
    /** The central log's proof of the last result event the check rests on; null while missing. */
    proof: complianceProof.nullable(),
  })
  .strict();
export type ComplianceReportCheck = z.infer<typeof complianceReportCheck>;

export const complianceReportStore = z
  .object({
    storeId: z.string(),
    storeName: z.string(),
    region: z.string(),
    /** ISO 3166-1 alpha-2; null: the catalog names no country for the store. */
    country: z.string().nullable(),
    checks: z.array(complianceReportCheck),
    /** Every required check passed at this store. */
    isCompliant: z.boolean(),
    /** The store's latest go / no-go decision for the release in the central log, with its proof. */
    decision: z
      .object({
        decision: z.string(),
        signer: person,
        signedAt: isoTime,
        proof: complianceProof,
      })
      .strict()
      .nullable(),
  })
  .strict();
export type ComplianceReportStore = z.infer<typeof complianceReportStore>;

export const complianceReport = z
  .object({
    releaseId: z.string(),
    releaseVersion: z.string(),
    /** The region the report covers, or its `country`: exactly one. */
    region: z.string().optional(),
    country: z.string().optional(),
    /** Every rule binding the release at one of the stores listed (a store's region or country rules). */
    rules: z.array(complianceRule),
    stores: z.array(complianceReportStore),
    /** The signed tree head every proof of the report verifies against. */
    treeHead: signedTreeHead,
    generatedAt: isoTime,
  })
  .strict();
export type ComplianceReport = z.infer<typeof complianceReport>;
