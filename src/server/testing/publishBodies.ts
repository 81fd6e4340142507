/**
 * Valid bodies for the admin publish routes (runbooks, feature flags, store
 * windows, checklist templates and requirements), for tests: the smallest
 * parts a console accepts, for release `releaseId` and store `storeId`.
 */
import type {
  ChecklistTemplate,
  ReleaseChecklistRequirement,
} from '../../shared/checklists/template.ts';
import type { CatalogFeatureFlag, CatalogRunbook } from '../../shared/deployments/runbook.ts';
import type { StoreWindows } from '../../shared/deployments/windows.ts';

const step = (id: string, title: string) => ({ id, title, instructions: '', mandatory: true });

export function runbookBody(
  releaseId: string,
  options: { templateId?: string } = {},
): CatalogRunbook {
  return {
    id: `rb-${releaseId}`,
    releaseId,
    title: `Runbook of ${releaseId}`,
    strategies: ['all_at_once'],
    steps: [
      { kind: 'instruction', ...step('install', 'Install the release on every lane') },
      { kind: 'version_capture', ...step('capture', 'Record the version on each lane') },
      ...(options.templateId
        ? [
            {
              kind: 'checklist' as const,
              ...step('smoke', 'Run the smoke test'),
              templateId: options.templateId,
            },
          ]
        : []),
    ],
    rollbackSteps: [
      { kind: 'version_capture', ...step('rb-capture', 'Record the version after the rollback') },
    ],
  };
}

export function featureFlagBody(
  releaseId: string,
  byStore: Record<string, boolean> = {},
): CatalogFeatureFlag {
  return {
    releaseId,
    key: 'quick-tender',
    description: 'One-tap cash tender',
    defaultValue: false,
    byRing: { pilot: true },
    byStore,
  };
}

export function storeWindowsBody(storeId: string): StoreWindows {
  const day = { open: '09:00', close: '20:00' };
  return {
    storeId,
    tradingHours: { sun: null, mon: day, tue: day, wed: day, thu: day, fri: day, sat: day },
    freezes: [{ name: 'Year-end trading', from: '2026-12-15T00:00', to: '2027-01-03T00:00' }],
  };
}

export function checklistTemplateBody(id = 'tpl-admin-smoke'): ChecklistTemplate {
  return {
    id,
    name: 'Admin smoke test',
    kind: 'smoke',
    version: 1,
    description: 'Published by an administrator',
    sections: [
      {
        id: 'start',
        title: 'Start-up',
        items: [
          {
            id: 'boot',
            title: 'Terminal starts',
            instructions: '',
            isMandatory: true,
            answer: { type: 'passFail' },
          },
        ],
      },
    ],
  };
}

export function checklistRequirementBody(
  releaseId: string,
  templateId = 'tpl-admin-smoke',
): ReleaseChecklistRequirement {
  return { releaseId, templateId, terminalCount: 1 };
}
