/**
 * Checklist templates as the catalog publishes them (smoke tests, UATs):
 * sections of items; each item is mandatory or optional, has one answer type,
 * and may show only when an earlier item got a given answer (`showWhen`).
 * Numbers are integers everywhere (a measured duration in ms, a count).
 */
import { z } from 'zod';
import { assertNever } from '../errors.ts';

const idText = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const PASS_FAIL_VALUES = ['pass', 'fail', 'na'] as const;
export type PassFailValue = (typeof PASS_FAIL_VALUES)[number];

const CHECKLIST_KINDS = ['smoke', 'uat'] as const;

/** How a measured number is judged: `<=` for "printed in ≤ 2000 ms", `>=` for "at least 3 bars". */
const THRESHOLD_OPS = ['<=', '>='] as const;

const safeInt = z.number().int().min(-1_000_000_000).max(1_000_000_000);

export const answerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('passFail') }).strict(),
  z
    .object({
      type: z.literal('number'),
      unit: z.string().min(1).max(20),
      /** Values outside [min, max] are refused as typing mistakes; the threshold decides pass or fail. */
      min: safeInt,
      max: safeInt,
      threshold: z.object({ op: z.enum(THRESHOLD_OPS), value: safeInt }).strict(),
    })
    .strict(),
  z.object({ type: z.literal('text'), maxLength: z.number().int().min(1).max(2000) }).strict(),
  z
    .object({
      type: z.literal('choice'),
      options: z
        .array(z.object({ id: idText, label: z.string().min(1).max(120) }).strict())
        .min(2)
        .max(20),
      /** Options that mean the item failed (e.g. "Drawer did not open"). */
      failingOptionIds: z.array(idText).max(20),
    })
    .strict(),
  z.object({ type: z.literal('photo') }).strict(),
  z.object({ type: z.literal('signature') }).strict(),
]);
export type AnswerSpec = z.infer<typeof answerSpec>;

/**
 * Shown only when the earlier item `itemId` was answered with one of `answers`:
 * a pass/fail value ('pass' | 'fail' | 'na') or a choice option id.
 */
const showWhen = z.object({ itemId: idText, answers: z.array(idText).min(1).max(20) }).strict();

export const checklistItem = z
  .object({
    id: idText,
    title: z.string().min(1).max(200),
    /** How to perform the check, shown under the title. */
    instructions: z.string().max(1000),
    isMandatory: z.boolean(),
    answer: answerSpec,
    showWhen: showWhen.optional(),
  })
  .strict();
export type ChecklistItem = z.infer<typeof checklistItem>;

const checklistSection = z
  .object({
    id: idText,
    title: z.string().min(1).max(120),
    items: z.array(checklistItem).min(1).max(500),
  })
  .strict();

const checklistTemplateShape = z
  .object({
    id: idText,
    name: z.string().min(1).max(120),
    kind: z.enum(CHECKLIST_KINDS),
    /** Bumped when the items change; a run keeps the version it started with. */
    version: z.number().int().min(1).max(1_000_000),
    description: z.string().max(1000),
    sections: z.array(checklistSection).min(1).max(100),
  })
  .strict();

/** A template is valid only if ids are unique and every `showWhen` points to an EARLIER item with matching answers. */
export const checklistTemplate = checklistTemplateShape.superRefine((template, ctx) => {
  for (const problem of templateProblems(template))
    ctx.addIssue({ code: 'custom', message: problem });
});
export type ChecklistTemplate = z.infer<typeof checklistTemplateShape>;

/** A release requires a template passed on a number of terminals of each store. */
export const releaseChecklistRequirement = z
  .object({
    releaseId: idText,
    templateId: idText,
    terminalCount: z.number().int().min(1).max(100),
  })
  .strict();
export type ReleaseChecklistRequirement = z.infer<typeof releaseChecklistRequirement>;

/** A requirement's id in catalog changes. */
export function checklistRequirementId(
  r: Pick<ReleaseChecklistRequirement, 'releaseId' | 'templateId'>,
): string {
  return `${r.releaseId}/${r.templateId}`;
}

export function templateItems(
  template: Pick<ChecklistTemplate, 'sections'>,
): Array<ChecklistItem & { sectionId: string }> {
  return template.sections.flatMap((section) =>
    section.items.map((item) => ({ ...item, sectionId: section.id })),
  );
}

/** Answers an item can be matched on by a later `showWhen`. */
function matchableAnswers(spec: AnswerSpec): readonly string[] {
  switch (spec.type) {
    case 'passFail':
      return PASS_FAIL_VALUES;
    case 'choice':
      return spec.options.map((o) => o.id);
    case 'number':
    case 'text':
    case 'photo':
    case 'signature':
      return ['pass', 'fail'];
    default:
      return assertNever(spec, 'answer spec');
  }
}

export function templateProblems(template: Pick<ChecklistTemplate, 'sections'>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, ChecklistItem>();
  const sectionIds = new Set<string>();
  for (const section of template.sections) {
    if (sectionIds.has(section.id)) problems.push(`section id ${section.id} is used twice`);
    sectionIds.add(section.id);
    for (const item of section.items) {
      if (seen.has(item.id)) problems.push(`item id ${item.id} is used twice`);
      if (item.answer.type === 'number' && !(item.answer.min <= item.answer.max)) {
        problems.push(`item ${item.id}: min is above max`);
      }
      if (item.answer.type === 'choice') {
        const ids = new Set(item.answer.options.map((o) => o.id));
        if (ids.size !== item.answer.options.length)
          problems.push(`item ${item.id}: option ids repeat`);
        for (const f of item.answer.failingOptionIds)
          if (!ids.has(f)) problems.push(`item ${item.id}: failing option ${f} is not an option`);
      }
      if (item.showWhen) {
        const earlier = seen.get(item.showWhen.itemId);
        if (!earlier) {
          problems.push(
            `item ${item.id}: showWhen must name an earlier item (${item.showWhen.itemId} is not one)`,
          );
        } else {
          const allowed = matchableAnswers(earlier.answer);
          for (const a of item.showWhen.answers) {
            if (!allowed.includes(a))
              problems.push(`item ${item.id}: ${earlier.id} can never be answered "${a}"`);
          }
        }
      }
      seen.set(item.id, item);
    }
  }
  return problems;
}
