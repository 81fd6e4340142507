/**
 * Test helpers for the checklist back end: tiny real images, and answering a
 * whole run the way a technician would (every visible mandatory item, in order).
 */
import type { Answer } from '../../shared/checklists/answers.ts';
import type { ChecklistItem } from '../../shared/checklists/template.ts';
import type { ChecklistRunView, RecordResultOutcome } from '../../shared/checklists/types.ts';
import type { App } from '../app/createApp.ts';
import { expectOk } from '../app/testSupport.ts';

/** A real 1×1 PNG. */
export const PNG_1X1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** Another real PNG (different bytes, so a different SHA-256). */
export const PNG_1X1_RED =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
/** The first bytes of a JPEG are what the store checks; the rest need not decode for the console. */
export const JPEG_SMALL = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
  Buffer.from('JFIF demo photo of a receipt'),
]).toString('base64');

/** A passing answer for any item. */
export function passingAnswer(item: ChecklistItem): Answer {
  const spec = item.answer;
  switch (spec.type) {
    case 'passFail':
      return { type: 'passFail', value: 'pass' };
    case 'number':
      return { type: 'number', value: spec.threshold.value };
    case 'text':
      return { type: 'text', value: 'All fine' };
    case 'choice':
      return {
        type: 'choice',
        optionId: spec.options.find((o) => !spec.failingOptionIds.includes(o.id))!.id,
      };
    case 'photo':
      return { type: 'photo' };
    case 'signature':
      return { type: 'signature' };
    default:
      throw new Error('unknown answer type');
  }
}

/**
 * Answers every visible mandatory item of one terminal with a passing answer,
 * except those in `overrides` (answered as given). Photo and signature items get a fresh PNG.
 */
export async function answerTerminal(
  app: Pick<App, 'dispatch'>,
  run: ChecklistRunView,
  terminalId: string,
  overrides: Record<string, { answer: Answer; evidence?: string[] }> = {},
): Promise<RecordResultOutcome | null> {
  let last: RecordResultOutcome | null = null;
  let visible = new Set(
    run.terminals
      .find((t) => t.terminalId === terminalId)!
      .items.filter((i) => i.isVisible)
      .map((i) => i.itemId),
  );
  for (const section of run.template.sections) {
    for (const item of section.items) {
      if (!visible.has(item.id)) continue;
      const override = overrides[item.id];
      if (!item.isMandatory && !override) continue;
      let evidence = override?.evidence;
      const answer = override?.answer ?? passingAnswer(item);
      if (!evidence && (answer.type === 'photo' || answer.type === 'signature')) {
        const ref = expectOk(
          await app.dispatch('checklists:attachEvidence', {
            runId: run.run.id,
            fileName: 'sig.png',
            mimeType: 'image/png',
            dataBase64: PNG_1X1,
          }),
        );
        evidence = [(ref as { sha256: string }).sha256];
      }
      last = expectOk(
        await app.dispatch('checklists:recordResult', {
          runId: run.run.id,
          terminalId,
          itemId: item.id,
          answer,
          ...(evidence ? { evidence } : {}),
        }),
      ) as RecordResultOutcome;
      visible = new Set(last.terminal.items.filter((i) => i.isVisible).map((i) => i.itemId));
    }
  }
  return last;
}
