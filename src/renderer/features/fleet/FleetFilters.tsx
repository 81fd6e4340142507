import { useEffect, useState } from 'react';
import { Button, Group, Select, Switch, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useShallow } from 'zustand/react/shallow';
import type { FleetFilterOptions } from '#shared/contract/index.ts';
import { RINGS, type Ring } from '#shared/domain/releases.ts';
import { useAppStore } from '../../state/store.ts';
import { TEST_IDS } from '../../testIds.ts';
import { t } from '../../i18n/index.ts';

const SEARCH_DEBOUNCE_MS = 250;
/**
 * Mantine keeps a Select's dropdown mounted (hidden) by default, and
 * positioning it at mount forces a style and layout pass of the whole page
 * in the middle of the first render. Mounted on opening instead.
 */
const DROPDOWN_ON_OPEN = { keepMounted: false } as const;

function isRing(value: string): value is Ring {
  return (RINGS as readonly string[]).includes(value);
}

export function FleetFilters(props: { options: FleetFilterOptions | undefined }) {
  const { filter, search, hasCell, setFilter, setSearch, clear } = useAppStore(
    useShallow((s) => ({
      filter: s.fleetFilter,
      search: s.terminalSearch,
      hasCell: s.cellSelection !== null,
      setFilter: s.setFleetFilter,
      setSearch: s.setTerminalSearch,
      clear: s.clearFleetFilter,
    })),
  );
  // The field updates at once; the query follows after a pause in typing.
  const [draft, setDraft] = useState(search);
  const [debounced] = useDebouncedValue(draft, SEARCH_DEBOUNCE_MS);
  useEffect(() => setSearch(debounced), [debounced, setSearch]);

  const options = props.options;
  const isFiltered = Object.keys(filter).length > 0 || hasCell || draft !== '';
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <Select
        comboboxProps={DROPDOWN_ON_OPEN}
        size="xs"
        w={150}
        label={t('fleet:filterRegion')}
        placeholder={t('fleet:any')}
        data={options?.regions ?? []}
        value={filter.region ?? null}
        onChange={(v) => setFilter({ region: v ?? undefined })}
        clearable
        searchable
        data-testid={TEST_IDS.filterRegion}
      />
      <Select
        comboboxProps={DROPDOWN_ON_OPEN}
        size="xs"
        w={120}
        label={t('fleet:filterRing')}
        placeholder={t('fleet:any')}
        data={options?.rings ?? [...RINGS]}
        value={filter.ring ?? null}
        onChange={(v) => setFilter({ ring: v && isRing(v) ? v : undefined })}
        clearable
        data-testid={TEST_IDS.filterRing}
      />
      <Select
        comboboxProps={DROPDOWN_ON_OPEN}
        size="xs"
        w={150}
        label={t('fleet:filterModel')}
        placeholder={t('fleet:any')}
        data={options?.models ?? []}
        value={filter.model ?? null}
        onChange={(v) => setFilter({ model: v ?? undefined })}
        clearable
        searchable
        data-testid={TEST_IDS.filterModel}
      />
      <Select
        comboboxProps={DROPDOWN_ON_OPEN}
        size="xs"
        w={140}
        label={t('fleet:filterRelease')}
        placeholder={t('fleet:any')}
        data={(options?.releases ?? []).map((r) => ({ value: r.id, label: r.version }))}
        value={filter.releaseId ?? null}
        onChange={(v) => setFilter({ releaseId: v ?? undefined })}
        clearable
        searchable
        data-testid={TEST_IDS.filterRelease}
      />
      <TextInput
        size="xs"
        w={240}
        label=" "
        placeholder={t('fleet:filterSearch')}
        leftSection={<IconSearch size={14} />}
        value={draft}
        maxLength={100}
        onChange={(e) => setDraft(e.currentTarget.value)}
        data-testid={TEST_IDS.filterSearch}
      />
      <Switch
        size="sm"
        mb={6}
        label={t('fleet:filterDriftOnly')}
        checked={filter.driftOnly ?? false}
        onChange={(e) => setFilter({ driftOnly: e.currentTarget.checked })}
        color="orange"
        data-testid={TEST_IDS.filterDrift}
      />
      {isFiltered && (
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconFilterOff size={14} />}
          onClick={() => {
            setDraft('');
            clear();
          }}
          data-testid={TEST_IDS.filterClear}
        >
          {t('fleet:clearFilters')}
        </Button>
      )}
    </Group>
  );
}
