import type { ChecklistRunView } from '#shared/checklists/types.ts';
import { templateItems } from '#shared/checklists/template.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';

export type RunResultRow = {
  terminal: string;
  terminalId: string;
  section: string;
  item: string;
  itemId: string;
  isMandatory: boolean;
  status: string;
  answer: string | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: string | null;
  waiver: string | null;
  eventHash: string | null;
};

/** One row per terminal and visible item of the run, in the template's order. */
export function runResultRows(view: ChecklistRunView): RunResultRow[] {
  const items = new Map(templateItems(view.template).map((item) => [item.id, item]));
  const sections = new Map(view.template.sections.map((section) => [section.id, section.title]));
  return view.terminals.flatMap((terminal) =>
    terminal.items
      .filter((state) => state.isVisible)
      .map((state) => ({
        terminal: terminal.terminalName,
        terminalId: terminal.terminalId,
        section: sections.get(state.sectionId) ?? state.sectionId,
        item: items.get(state.itemId)?.title ?? state.itemId,
        itemId: state.itemId,
        isMandatory: items.get(state.itemId)?.isMandatory ?? false,
        status: state.status,
        answer: state.result?.answerText ?? null,
        note: state.result?.note ?? null,
        recordedBy: state.result?.recordedBy.name ?? null,
        recordedAt: state.result?.recordedAt ?? null,
        waiver: state.waiver?.reason ?? null,
        eventHash: state.result?.eventHash ?? null,
      })),
  );
}

/** Headers in one place until they move to the locale files. */
export const RUN_RESULT_COLUMNS: readonly ExportColumn<RunResultRow>[] = [
  { header: 'Terminal', value: (r) => r.terminal },
  { header: 'Terminal ID', value: (r) => r.terminalId },
  { header: 'Section', value: (r) => r.section },
  { header: 'Item', value: (r) => r.item },
  { header: 'Item ID', value: (r) => r.itemId },
  { header: 'Mandatory', value: (r) => r.isMandatory },
  { header: 'Status', value: (r) => r.status },
  { header: 'Answer', value: (r) => r.answer },
  { header: 'Note', value: (r) => r.note },
  { header: 'Recorded by', value: (r) => r.recordedBy },
  { header: 'Recorded at', value: (r) => r.recordedAt },
  { header: 'Waiver', value: (r) => r.waiver },
  { header: 'Journal hash', value: (r) => r.eventHash },
];
