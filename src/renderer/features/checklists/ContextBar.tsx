/**
 * Store and release pickers shared by the checklist and go / no-go screens.
 * A release the store must test (it requires checklists) says so in the list.
 */
import { Group, Select } from '@mantine/core';
import { IconBuildingStore, IconRocket } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/ApiContext.tsx';
import { queryKeys } from '../../api/queryKeys.ts';
import { useStores, useTemplates } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import type { WorkContext } from './useWorkContext.ts';
import { t } from '../../i18n/index.ts';

export function ContextBar(props: { context: WorkContext; releaseId: string | null }) {
  const api = useApi();
  const stores = useStores();
  const releases = useQuery({
    queryKey: queryKeys.releases(),
    queryFn: () => api['releases:list']({}),
  });
  const templates = useTemplates(null);

  const required = new Map<string, string[]>();
  for (const r of templates.data?.requirements ?? []) {
    required.set(r.releaseId, [
      ...(required.get(r.releaseId) ?? []),
      `${r.templateName} ×${r.terminalCount}`,
    ]);
  }

  return (
    <Group gap="sm" align="flex-end">
      <Select
        label={t('checklists:store')}
        placeholder={t('checklists:storePlaceholder')}
        leftSection={<IconBuildingStore size={16} />}
        data={(stores.data ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.ring})` }))}
        value={props.context.storeId}
        onChange={(value) => props.context.setStoreId(value)}
        searchable
        w={300}
        size="sm"
        disabled={stores.isPending}
        error={stores.isError ? stores.error.message : undefined}
        data-testid={CHECKLIST_TEST_IDS.storeSelect}
      />
      <Select
        label={t('checklists:release')}
        placeholder={t('checklists:releasePlaceholder')}
        leftSection={<IconRocket size={16} />}
        data={(releases.data ?? []).map((r) => {
          const needs = required.get(r.id);
          return {
            value: r.id,
            label: needs
              ? `${r.version} — ${t('checklists:requiresSuffix', { what: needs.join(', ') })}`
              : `${r.version} — ${r.title}`,
          };
        })}
        value={props.releaseId}
        onChange={(value) => props.context.setReleaseId(value)}
        searchable
        w={420}
        size="sm"
        disabled={releases.isPending}
        error={releases.isError ? releases.error.message : undefined}
        data-testid={CHECKLIST_TEST_IDS.releaseSelect}
      />
    </Group>
  );
}

/** The release shown: the one picked, else the store ring's target release. */
export function useEffectiveRelease(context: WorkContext): string | null {
  const stores = useStores();
  if (context.releaseId) return context.releaseId;
  return stores.data?.find((s) => s.id === context.storeId)?.targetReleaseId ?? null;
}
