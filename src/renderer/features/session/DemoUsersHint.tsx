/**
 * On the demo fleet only: who can sign in, and with which PIN. The demo PINs
 * are public (resources/demo/README.md); a real catalog never shows this.
 */
import { Alert, Anchor, Table, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { UserSummary } from '#shared/contract/index.ts';
import { DEMO_USERS } from '#shared/demo/demoUsers.ts';
import { t } from '../../i18n/index.ts';

export const DEMO_HINT_TEST_ID = 'sign-in-demo-users';

export function DemoUsersHint(props: {
  /** The catalog's users: a demo user missing from it is not offered. */
  users: readonly UserSummary[];
  onPick: (userId: string) => void;
}) {
  const listed = new Set(props.users.map((u) => u.id));
  const demoUsers = DEMO_USERS.filter((u) => listed.has(u.id));
  if (demoUsers.length === 0) return null;
  return (
    <Alert
      color="blue"
      variant="light"
      icon={<IconInfoCircle size={18} />}
      title={t('session:demoUsersTitle')}
      data-testid={DEMO_HINT_TEST_ID}
    >
      <Text size="sm" mb={6}>
        {t('session:demoUsersBody')}
      </Text>
      <Table fz="sm" verticalSpacing={2} horizontalSpacing="xs" withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('session:userLabel')}</Table.Th>
            <Table.Th>{t('session:demoRole')}</Table.Th>
            <Table.Th>{t('session:pinLabel')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {demoUsers.map((user) => (
            <Table.Tr key={user.id} data-user-id={user.id}>
              <Table.Td>
                <Anchor
                  component="button"
                  type="button"
                  size="sm"
                  onClick={() => props.onPick(user.id)}
                  style={{ whiteSpace: 'nowrap', textAlign: 'left' }}
                  aria-label={t('session:demoPick', { name: user.name })}
                >
                  {user.name}
                </Anchor>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {t(`domain:role.${user.role}`)}
                {user.storeIds.length > 0 && (
                  <Text span size="xs" c="dimmed">
                    {' '}
                    {t('session:demoSomeStores', { count: user.storeIds.length })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ff="monospace">{user.pin}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Alert>
  );
}
