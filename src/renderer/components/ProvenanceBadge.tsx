/**
 * Where a record came from — which console and who — and whether the central
 * log already holds it; in red when the conflict rule set it aside (an earlier
 * entry in the central log decided the same thing). Shared by the terminal
 * history, checklist runs, deployments and change requests.
 */
import { Badge, Group } from '@mantine/core';
import { IconCloudCheck, IconCloudUpload, IconDevices, IconGitMerge } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { Provenance, ProvenanceSubject } from '../../shared/contract/sync.ts';
import { useApi } from '../api/ApiContext.tsx';
import { t } from '../i18n/index.ts';
import { formatCount } from './format.ts';

export const PROVENANCE_TEST_IDS = {
  badge: 'provenance-badge',
  device: 'provenance-device',
  superseded: 'provenance-superseded',
} as const;

/** The provenance of one record, by its event id or by what it created. */
export function ProvenanceBadge(props: { eventId?: string | null; subject?: ProvenanceSubject }) {
  const api = useApi();
  const { eventId, subject } = props;
  const query = useQuery({
    queryKey: ['sync', 'provenance', eventId ?? null, subject ?? null],
    queryFn: () =>
      api['sync:provenance'](
        eventId ? { eventIds: [eventId] } : { subjects: subject ? [subject] : [] },
      ),
    enabled: Boolean(eventId || subject),
    // A console that is not connected has no provenance to show: no retry, no error on screen.
    retry: false,
  });
  const p = query.data?.[0];
  return p ? <ProvenanceView provenance={p} /> : null;
}

/** Renders from a provenance alone (no back-end call). */
export function ProvenanceView(props: { provenance: Provenance }) {
  const p = props.provenance;
  const who = p.userName ?? p.userId;
  return (
    <Group
      gap={4}
      wrap="nowrap"
      data-testid={PROVENANCE_TEST_IDS.badge}
      data-this-console={p.isThisConsole}
    >
      <Badge
        // The device id in the native tooltip: one per badge, no portal, cheap in long lists.
        title={
          p.deviceName
            ? t('components:provenance.deviceNamed', { name: p.deviceName, id: p.deviceId })
            : t('components:provenance.device', { id: p.deviceId })
        }
        size="xs"
        variant="light"
        color={p.isThisConsole ? 'gray' : 'indigo'}
        leftSection={<IconDevices size={10} />}
        data-testid={PROVENANCE_TEST_IDS.device}
        data-device-id={p.deviceId}
      >
        {p.isThisConsole
          ? t('components:provenance.thisConsole')
          : // By its name once the sync brought the store's console names; by the end of its id until then.
            (p.deviceName ?? t('components:provenance.otherConsole', { id: p.deviceId.slice(-6) }))}
        {` · ${who}`}
      </Badge>
      {p.supersededBy ? (
        <Badge
          title={
            p.supersededBy.userName
              ? t('components:provenance.supersededByWho', { who: p.supersededBy.userName })
              : t('components:provenance.supersededByOther')
          }
          size="xs"
          color="red"
          variant="light"
          leftSection={<IconGitMerge size={10} />}
          data-testid={PROVENANCE_TEST_IDS.superseded}
        >
          {t('components:provenance.superseded')}
        </Badge>
      ) : p.isInCentralLog ? (
        <Badge
          title={
            p.logIndex === null
              ? t('components:provenance.inLog')
              : t('components:provenance.inLogAt', { index: formatCount(p.logIndex) })
          }
          size="xs"
          color="teal"
          variant="light"
          leftSection={<IconCloudCheck size={10} />}
        >
          {t('components:provenance.inLog')}
        </Badge>
      ) : (
        <Badge
          title={t('components:provenance.notSentLong')}
          size="xs"
          color="orange"
          variant="light"
          leftSection={<IconCloudUpload size={10} />}
        >
          {t('components:provenance.notSent')}
        </Badge>
      )}
    </Group>
  );
}
