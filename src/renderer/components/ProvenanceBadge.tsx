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

const PROVENANCE_TEXT = {
  thisConsole: 'This console',
  otherConsole: (deviceId: string) => `Console ${deviceId.slice(-6)}`,
  inLog: 'In central log',
  inLogAt: (index: number) => `In the central log at position ${index.toLocaleString()}.`,
  notSent: 'Not yet sent',
  notSentLong: 'Kept on this console; it goes to the central log with the next sync.',
  superseded: 'Superseded',
  supersededLong: (who: string | null) =>
    `Superseded by ${who ? `${who}’s record` : 'another record'} (earlier in the central log). It stays in the journal.`,
  device: (deviceId: string) => `Recorded on device ${deviceId}`,
} as const;

export const PROVENANCE_TEST_IDS = {
  badge: 'provenance-badge',
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
        title={PROVENANCE_TEXT.device(p.deviceId)}
        size="xs"
        variant="light"
        color={p.isThisConsole ? 'gray' : 'indigo'}
        leftSection={<IconDevices size={10} />}
      >
        {p.isThisConsole ? PROVENANCE_TEXT.thisConsole : PROVENANCE_TEXT.otherConsole(p.deviceId)}
        {` · ${who}`}
      </Badge>
      {p.supersededBy ? (
        <Badge
          title={PROVENANCE_TEXT.supersededLong(p.supersededBy.userName)}
          size="xs"
          color="red"
          variant="light"
          leftSection={<IconGitMerge size={10} />}
          data-testid={PROVENANCE_TEST_IDS.superseded}
        >
          {PROVENANCE_TEXT.superseded}
        </Badge>
      ) : p.isInCentralLog ? (
        <Badge
          title={p.logIndex === null ? PROVENANCE_TEXT.inLog : PROVENANCE_TEXT.inLogAt(p.logIndex)}
          size="xs"
          color="teal"
          variant="light"
          leftSection={<IconCloudCheck size={10} />}
        >
          {PROVENANCE_TEXT.inLog}
        </Badge>
      ) : (
        <Badge
          title={PROVENANCE_TEXT.notSentLong}
          size="xs"
          color="orange"
          variant="light"
          leftSection={<IconCloudUpload size={10} />}
        >
          {PROVENANCE_TEXT.notSent}
        </Badge>
      )}
    </Group>
  );
}
