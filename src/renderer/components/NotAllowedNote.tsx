/** Why an action is not offered to the signed-in person, shown beside it before anyone tries. */
import { Group, Text } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { Permission } from '../api/permissions.ts';

export const NOT_ALLOWED_TEST_ID = 'not-allowed-note';

export function NotAllowedNote(props: { permission: Permission; maw?: number }) {
  if (props.permission.allowed || props.permission.reason === null) return null;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start" maw={props.maw ?? 380}>
      <IconLock size={14} style={{ flexShrink: 0, marginTop: 2 }} aria-hidden />
      <Text size="xs" c="dimmed" data-testid={NOT_ALLOWED_TEST_ID}>
        {props.permission.reason}
      </Text>
    </Group>
  );
}
