import type { ChecklistRunView } from '#shared/checklists/types.ts';
import { templateItems } from '#shared/checklists/template.ts';
import type { ExportColumn } from '#shared/exports/toCsv.ts';
import { t } from '#renderer/i18n/index.ts';

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

/** The run's results as the run screen shows them, headers in the console's language. */
export function runResultColumns(): ExportColumn<RunResultRow>[] {
  return [
    { header: t('csv:terminal'), value: (r) => r.terminal },
    { header: t('csv:terminalId'), value: (r) => r.terminalId },
    { header: t('csv:section'), value: (r) => r.section },
    { header: t('csv:item'), value: (r) => r.item },
    { header: t('csv:itemId'), value: (r) => r.itemId },
    { header: t('csv:mandatory'), value: (r) => r.isMandatory },
    { header: t('csv:status'), value: (r) => r.status },
    { header: t('csv:answer'), value: (r) => r.answer },
    { header: t('csv:note'), value: (r) => r.note },
    { header: t('csv:recordedBy'), value: (r) => r.recordedBy },
    { header: t('csv:recordedAt'), value: (r) => r.recordedAt },
    { header: t('csv:waiver'), value: (r) => r.waiver },
    { header: t('csv:journalHash'), value: (r) => r.eventHash },
  ];
}
