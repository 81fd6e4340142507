/**
 * The catalog the central server publishes and the console pulls (and the
 * demo fleet in resources/demo ships): stores, terminals with their last known
 * release, releases, ring targets, users with scrypt PIN hashes.
 */
import { testResultsSummary } from '../releases/testResults.ts';
import { checklistAssignment } from '../checklists/assignments.ts';
import { z } from 'zod';
import { catalogReleaseRisk } from '../releases/risks.ts';
import { catalogStoreNotes } from '../releases/storeNotes.ts';
import { catalogDocumentRevision, catalogRevisionPolicy } from '../revisions/gate.ts';
import { RELEASE_STATUSES, RELEASE_TYPES, RINGS } from '../domain/releases.ts';
import { ROLES } from '../domain/roles.ts';
import { catalogFeatureFlag, catalogRunbook } from '../deployments/runbook.ts';
import { catalogStoreWindows } from '../deployments/windows.ts';
import { checklistTemplate, releaseChecklistRequirement } from '../checklists/template.ts';
import { consoleUpdatePolicy } from '../updates/policy.ts';
import { catalogDeploymentWindow, catalogReleaseBlock } from '../releases/catalogParts.ts';
import { complianceRule } from '../compliance/rules.ts';
import { countryCode } from '../fleet/countries.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const isoTime = z.iso.datetime({ offset: false });

export const catalogStore = z
  .object({
    id: idText,
    name: z.string().min(1).max(120),
    region: z.string().min(1).max(60),
    ring: z.enum(RINGS),
    /** IANA time zone, e.g. Europe/Paris: trading hours are store-local. */
    timezone: z.string().min(1).max(60),
    /** ISO 3166-1 alpha-2, e.g. FR; absent for stores imported before countries (region rules only). */
    country: countryCode.optional(),
  })
  .strict();

export const catalogTerminal = z
  .object({
    id: idText,
    storeId: idText,
    name: z.string().min(1).max(60),
    model: z.string().min(1).max(60),
    serial: z.string().min(1).max(60),
    /** Release last known to run on it, and since when; null if never observed. */
    installed: z.object({ releaseId: idText, since: isoTime }).strict().nullable(),
    lastSeen: isoTime.nullable(),
  })
  .strict();

export const catalogRelease = z
  .object({
    id: idText,
    version: z.string().min(1).max(64),
    type: z.enum(RELEASE_TYPES),
    ring: z.enum(RINGS),
    status: z.enum(RELEASE_STATUSES),
    plannedAt: isoTime.nullable(),
    actualAt: isoTime.nullable(),
    title: z.string().min(1).max(200),
    notesMarkdown: z.string().max(100_000),
  })
  .strict();

export const catalogRingTarget = z.object({ ring: z.enum(RINGS), releaseId: idText }).strict();

/** `pinHash` format: `scrypt$N$r$p$<salt base64>$<hash base64>` (N=16384, r=8, p=1, 32-byte key). */
export const catalogUser = z
  .object({
    id: idText,
    name: z.string().min(1).max(120),
    role: z.enum(ROLES),
    pinHash: z.string().min(1).max(300),
    /** Stores the user works in; empty means every store (regional staff). */
    storeIds: z.array(idText).max(10_000),
  })
  .strict();

/** Real fleets: a 4-digit PIN falls to an offline guess of all 10,000 in minutes once its hash leaks. */
const MIN_PIN_DIGITS = 6;

/**
 * How long PINs must be. Absent from a catalog means `{minDigits: 6}`. A
 * shorter minimum is accepted only as an explicit demo policy (the demo
 * fleet's public 4-digit PINs), never for a real fleet.
 */
export const catalogPinPolicy = z
  .object({
    minDigits: z.number().int().min(4).max(12),
    /** The catalog is a demo whose PINs are public; only then may minDigits be below 6. */
    isDemo: z.boolean().optional(),
  })
  .strict()
  .refine((p) => p.minDigits >= MIN_PIN_DIGITS || p.isDemo === true, {
    message: `PINs have at least ${MIN_PIN_DIGITS} digits; a shorter minimum is for a demo catalog only (isDemo: true)`,
    path: ['minDigits'],
  });
export type CatalogPinPolicy = z.infer<typeof catalogPinPolicy>;
export const DEFAULT_PIN_POLICY: CatalogPinPolicy = { minDigits: MIN_PIN_DIGITS };

export const catalog = z
  .object({
    version: z.literal(1),
    stores: z.array(catalogStore),
    terminals: z.array(catalogTerminal),
    releases: z.array(catalogRelease),
    ringTargets: z.array(catalogRingTarget),
    users: z.array(catalogUser),
    /** Checklist templates (smoke tests, UATs); optional so catalogs from before issue 4 stay valid. */
    checklistTemplates: z.array(checklistTemplate).max(1000).optional(),
    /** Which templates each release requires, and on how many terminals of a store. */
    checklistRequirements: z.array(releaseChecklistRequirement).max(100_000).optional(),
    /** Each release's runbook with its rollback runbook (issue 5); optional so older catalogs stay valid. */
    runbooks: z.array(catalogRunbook).max(10_000).optional(),
    /** Each release's feature flags, per ring and per store. */
    featureFlags: z.array(catalogFeatureFlag).max(100_000).optional(),
    /** Each store's trading hours and freeze windows, in store-local time. */
    storeWindows: z.array(catalogStoreWindows).max(100_000).optional(),
    /** PIN length rule; absent means DEFAULT_PIN_POLICY. */
    pinPolicy: catalogPinPolicy.optional(),
    /** The console's own update rules (channel per ring, staged percentage, pins, downgrades); absent means DEFAULT_UPDATE_POLICY. */
    consoleUpdatePolicy: consoleUpdatePolicy.optional(),
    /** Releases the release desk blocked: consoles show a banner and refuse their deployments. */
    releaseBlocks: z.array(catalogReleaseBlock).max(10_000).optional(),
    /** Scheduled deployment windows of this store, in store-local time. */
    deploymentWindows: z.array(catalogDeploymentWindow).max(100_000).optional(),
    /** Each release's automated test results (JUnit), summarised. */
    testResults: z.array(testResultsSummary).max(10_000).optional(),
    /** Checklists the release desk assigned to stores, with their due dates. */
    checklistAssignments: z.array(checklistAssignment).max(100_000).optional(),
    /** Each region's compliance rules: checks a release needs before a store there may record go. */
    complianceRules: z.array(complianceRule).max(10_000).optional(),
    /** Each release's risk register: reviewed and acknowledged at go / no-go. */
    releaseRisks: z.array(catalogReleaseRisk).max(100_000).optional(),
    /** Each release's plain-language notes for store staff ("what's new"). */
    storeNotes: z.array(catalogStoreNotes).max(10_000).optional(),
    /** Every published version of each runbook and checklist template, with its approvals. */
    documentRevisions: z.array(catalogDocumentRevision).max(100_000).optional(),
    /** How many approvals the central server requires of a revision; absent means none. */
    revisionPolicy: catalogRevisionPolicy.optional(),
  })
  .strict();

export type Catalog = z.infer<typeof catalog>;
export type CatalogStore = z.infer<typeof catalogStore>;
export type CatalogTerminal = z.infer<typeof catalogTerminal>;
export type CatalogRelease = z.infer<typeof catalogRelease>;
export type CatalogUser = z.infer<typeof catalogUser>;
export type CatalogRingTarget = z.infer<typeof catalogRingTarget>;
