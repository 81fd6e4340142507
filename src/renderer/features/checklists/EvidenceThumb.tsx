/** A stored evidence file as a small thumbnail; a click shows it large. */
import { useState } from 'react';
import { Image, Modal, Skeleton, Text, UnstyledButton } from '@mantine/core';
import type { EvidenceRef } from '#shared/checklists/types.ts';
import { formatBytes } from '../../components/photoSizing.ts';
import { useEvidence } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import contrast from '../../components/contrast.module.css';
import { t } from '../../i18n/index.ts';

export function EvidenceThumb(props: { evidence: EvidenceRef; size?: number }) {
  const file = useEvidence(props.evidence.sha256);
  const [isOpen, setOpen] = useState(false);
  const width = props.size ?? 64;
  const height = Math.round((width * 3) / 4);
  if (file.isPending) return <Skeleton w={width} h={height} />;
  if (file.isError)
    return (
      <Text size="xs" c="red.9" title={file.error.message}>
        {props.evidence.fileName}
      </Text>
    );
  return (
    <>
      <UnstyledButton
        onClick={() => setOpen(true)}
        aria-label={`${t('checklists:evidence')}: ${props.evidence.fileName}`}
      >
        <Image
          src={file.data.dataUrl}
          alt={props.evidence.fileName}
          w={width}
          h={height}
          fit="cover"
          radius="xs"
          style={{ border: '1px solid var(--mantine-color-gray-3)' }}
          data-testid={CHECKLIST_TEST_IDS.evidenceThumb}
          data-sha256={props.evidence.sha256}
        />
      </UnstyledButton>
      <Modal
        opened={isOpen}
        onClose={() => setOpen(false)}
        size="xl"
        title={props.evidence.fileName}
        className={contrast.contrast}
      >
        <Image src={file.data.dataUrl} alt={props.evidence.fileName} fit="contain" mah="70vh" />
        <Text size="xs" c="dimmed" mt="xs" ff="monospace">
          {t('checklists:evidenceHash', {
            hash: props.evidence.sha256,
            size: formatBytes(props.evidence.byteLength),
          })}
        </Text>
      </Modal>
    </>
  );
}
