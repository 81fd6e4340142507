/**
 * Runbooks as the catalog publishes them: one per release, the ordered steps a
 * technician follows on site, the strategies it allows, and the rollback
 * runbook that is part of the release. Also the release's feature flags per
 * ring and store. Pure schemas and rules: no storage, no runtime.
 */
import { z } from 'zod';
import { RINGS, type Ring } from '../domain/releases.ts';
import { ROLES } from '../domain/roles.ts';

export const STRATEGIES = ['canary_first', 'blue_green', 'all_at_once'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/**
 * What a step asks of the technician:
 * - instruction: do what it says, then mark it done;
 * - intervention: a person of the named role claims it, then proceeds or aborts;
 * - version_capture: record the version each terminal in scope now shows;
 * - checklist: run a checklist (the smoke test) by template id; its result decides;
 * - wait: let the given time pass (a migration, a reboot);
 * - stage / switch: blue-green only — put the release on the standby slot, then
 *   make the standby slot the active one in one step (in the rollback runbook,
 *   `switch` switches back to the slot that was kept);
 * - decision: a gate — the step is done only once the store's latest go / no-go
 *   decision for the release is a go (signed on any console of the store).
 */
export const STEP_KINDS = [
  'instruction',
  'intervention',
  'version_capture',
  'checklist',
  'wait',
  'stage',
  'switch',
  'decision',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);
const title = z.string().trim().min(1).max(200);
const instructions = z.string().max(10_000);

const stepBase = {
  id: idText,
  title,
  instructions,
  /** Skipping a mandatory step is a deviation: it needs an approved change request. */
  mandatory: z.boolean(),
};

export const runbookStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('instruction'), ...stepBase }).strict(),
  z.object({ kind: z.literal('intervention'), ...stepBase, role: z.enum(ROLES) }).strict(),
  z.object({ kind: z.literal('version_capture'), ...stepBase }).strict(),
  z.object({ kind: z.literal('checklist'), ...stepBase, templateId: idText }).strict(),
  z
    .object({
      kind: z.literal('wait'),
      ...stepBase,
      durationMs: z
        .number()
        .int()
        .min(1_000)
        .max(24 * 3_600_000),
    })
    .strict(),
  z.object({ kind: z.literal('stage'), ...stepBase }).strict(),
  z.object({ kind: z.literal('switch'), ...stepBase }).strict(),
  z.object({ kind: z.literal('decision'), ...stepBase }).strict(),
]);
export type RunbookStep = z.infer<typeof runbookStep>;

function countKind(steps: readonly RunbookStep[], kind: StepKind): number {
  return steps.filter((s) => s.kind === kind).length;
}

/** Problems of a runbook that a schema alone cannot express, in plain words. Empty when it is sound. */
export function runbookRuleProblems(runbook: {
  strategies: readonly Strategy[];
  steps: readonly RunbookStep[];
  rollbackSteps: readonly RunbookStep[];
}): string[] {
  const problems: string[] = [];
  const { steps, rollbackSteps, strategies } = runbook;
  const ids = [...steps, ...rollbackSteps].map((s) => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) problems.push(`step id "${duplicate}" is used twice`);
  if (new Set(strategies).size !== strategies.length) problems.push('a strategy is listed twice');
  if (countKind(steps, 'version_capture') === 0)
    problems.push('the runbook must capture the version on each terminal');
  if (countKind(rollbackSteps, 'version_capture') === 0)
    problems.push('the rollback runbook must capture the version on each terminal after it');
  if (countKind(rollbackSteps, 'decision') > 0)
    problems.push(
      'the rollback runbook cannot wait for a go decision: a rollback must never be held up',
    );
  const firstCapture = steps.findIndex((s) => s.kind === 'version_capture');
  if (steps.some((s, i) => s.kind === 'checklist' && i < firstCapture)) {
    problems.push(
      'the smoke test comes after the version capture: it must test the release the terminals run',
    );
  }
  if (strategies.includes('canary_first') && countKind(steps, 'checklist') === 0) {
    problems.push(
      'canary first needs a checklist step: the canary is smoke-tested before the others start',
    );
  }
  const isBlueGreen = strategies.includes('blue_green');
  if (isBlueGreen && strategies.length > 1)
    problems.push(
      'a blue-green runbook allows blue-green only: its stage and switch steps mean nothing otherwise',
    );
  if (isBlueGreen) {
    const stage = steps.findIndex((s) => s.kind === 'stage');
    const swap = steps.findIndex((s) => s.kind === 'switch');
    if (countKind(steps, 'stage') !== 1 || countKind(steps, 'switch') !== 1 || stage > swap) {
      problems.push('blue-green needs exactly one stage step followed by exactly one switch step');
    }
    if (swap >= 0 && steps.slice(swap).every((s) => s.kind !== 'version_capture')) {
      problems.push('blue-green must capture the versions after the switch');
    }
    if (countKind(rollbackSteps, 'switch') !== 1)
      problems.push('the blue-green rollback runbook needs exactly one switch (back) step');
    if (countKind(rollbackSteps, 'stage') > 0)
      problems.push('the rollback runbook cannot stage a release');
  } else {
    if (
      countKind(steps, 'stage') +
        countKind(steps, 'switch') +
        countKind(rollbackSteps, 'stage') +
        countKind(rollbackSteps, 'switch') >
      0
    ) {
      problems.push('stage and switch steps belong to blue-green runbooks only');
    }
  }
  return problems;
}

export const catalogRunbook = z
  .object({
    id: idText,
    releaseId: idText,
    title,
    strategies: z.array(z.enum(STRATEGIES)).min(1).max(STRATEGIES.length),
    steps: z.array(runbookStep).min(1).max(200),
    /** The rollback runbook is part of the release: walked when a deployment is rolled back. */
    rollbackSteps: z.array(runbookStep).min(1).max(200),
  })
  .strict()
  .superRefine((runbook, ctx) => {
    for (const message of runbookRuleProblems(runbook)) ctx.addIssue({ code: 'custom', message });
  });
export type CatalogRunbook = z.infer<typeof catalogRunbook>;

const flagKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_.-]*$/);

/** A release's feature flag: its default, then per ring, then per store (most specific wins). */
export const catalogFeatureFlag = z
  .object({
    releaseId: idText,
    key: flagKey,
    description: z.string().min(1).max(500),
    defaultValue: z.boolean(),
    byRing: z.partialRecord(z.enum(RINGS), z.boolean()),
    byStore: z.record(idText, z.boolean()),
  })
  .strict();
export type CatalogFeatureFlag = z.infer<typeof catalogFeatureFlag>;

export const FLAG_SOURCES = ['change_request', 'store', 'ring', 'default'] as const;
export type FlagSource = (typeof FLAG_SOURCES)[number];
export type FlagValue = { key: string; description: string; value: boolean; source: FlagSource };

/** The store's flag values for a release, as the catalog defines them, sorted by key. */
export function flagValuesFor(
  flags: readonly CatalogFeatureFlag[],
  releaseId: string,
  store: { id: string; ring: Ring },
): FlagValue[] {
  return flags
    .filter((f) => f.releaseId === releaseId)
    .map((f): FlagValue => {
      const atStore = f.byStore[store.id];
      if (atStore !== undefined)
        return { key: f.key, description: f.description, value: atStore, source: 'store' };
      const atRing = f.byRing[store.ring];
      if (atRing !== undefined)
        return { key: f.key, description: f.description, value: atRing, source: 'ring' };
      return { key: f.key, description: f.description, value: f.defaultValue, source: 'default' };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Cross-references a catalog's runbooks and flags: each names a release that
 * exists, a release has at most one runbook, a checklist step names a template
 * the catalog holds (when it holds templates), a flag key is defined once per
 * release, a store override names a store that exists.
 */
export function deploymentCatalogProblems(catalog: {
  releases: readonly { id: string }[];
  stores: readonly { id: string }[];
  runbooks?: readonly CatalogRunbook[] | undefined;
  featureFlags?: readonly CatalogFeatureFlag[] | undefined;
  checklistTemplateIds?: readonly string[] | undefined;
}): string[] {
  const problems: string[] = [];
  const releaseIds = new Set(catalog.releases.map((r) => r.id));
  const storeIds = new Set(catalog.stores.map((s) => s.id));
  const seenRunbookRelease = new Set<string>();
  for (const runbook of catalog.runbooks ?? []) {
    if (!releaseIds.has(runbook.releaseId))
      problems.push(`runbook ${runbook.id} names unknown release ${runbook.releaseId}`);
    if (seenRunbookRelease.has(runbook.releaseId))
      problems.push(`release ${runbook.releaseId} has more than one runbook`);
    seenRunbookRelease.add(runbook.releaseId);
    if (catalog.checklistTemplateIds !== undefined) {
      const templates = new Set(catalog.checklistTemplateIds);
      for (const step of [...runbook.steps, ...runbook.rollbackSteps]) {
        if (step.kind === 'checklist' && !templates.has(step.templateId)) {
          problems.push(
            `runbook ${runbook.id} step ${step.id} names unknown checklist template ${step.templateId}`,
          );
        }
      }
    }
  }
  const seenFlag = new Set<string>();
  for (const flag of catalog.featureFlags ?? []) {
    if (!releaseIds.has(flag.releaseId))
      problems.push(`flag ${flag.key} names unknown release ${flag.releaseId}`);
    const key = `${flag.releaseId}/${flag.key}`;
    if (seenFlag.has(key))
      problems.push(`flag ${flag.key} is defined twice for release ${flag.releaseId}`);
    seenFlag.add(key);
    for (const storeId of Object.keys(flag.byStore)) {
      if (!storeIds.has(storeId)) problems.push(`flag ${flag.key} names unknown store ${storeId}`);
    }
  }
  return problems;
}
