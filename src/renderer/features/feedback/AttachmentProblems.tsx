/**
 * On a report in "Our reports": the attachments the central server refused
 * for good, each with the server's reason, so the store knows the support
 * desk has the report without them.
 */
import { Alert, List, Text } from '@mantine/core';
import { IconFileAlert } from '@tabler/icons-react';
import type { OurBugReport } from '#shared/feedback/types.ts';
import { t } from '../../i18n/index.ts';

const ATTACHMENT_PROBLEMS_TEST_ID = 'our-report-attachment-problems';

export function AttachmentProblems(props: { problems: OurBugReport['attachmentProblems'] }) {
  const problems = props.problems ?? [];
  if (problems.length === 0) return null;
  return (
    <Alert
      color="red"
      variant="light"
      p="xs"
      icon={<IconFileAlert size={18} />}
      title={t('sync:attachments.notDelivered', { count: problems.length })}
      data-testid={ATTACHMENT_PROBLEMS_TEST_ID}
    >
      <List size="sm" spacing={2}>
        {problems.map((p) => (
          <List.Item key={p.name} data-code={p.code}>
            <Text span size="sm" fw={600}>
              {p.name}
            </Text>
            {': '}
            {p.message}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
