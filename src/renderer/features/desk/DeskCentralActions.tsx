/**
 * The desk's way to the central actions in its scope: a button in the
 * header opening them in a side drawer, beside the stores they concern.
 */
import { useState } from 'react';
import { Button, Drawer } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { CentralActionsPanel } from '../audit/CentralActionsPanel.tsx';
import { AUDIT_TEST_IDS } from '../audit/testIds.ts';
import { t } from '../../i18n/index.ts';

export function DeskCentralActions() {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconHistory size={16} />}
        onClick={() => setIsOpen(true)}
        data-testid={AUDIT_TEST_IDS.deskCentralActions}
      >
        {t('centralActions:open')}
      </Button>
      <Drawer
        opened={isOpen}
        onClose={() => setIsOpen(false)}
        position="right"
        size="xl"
        title={t('centralActions:title')}
      >
        {isOpen && <CentralActionsPanel isDesk isTitled={false} />}
      </Drawer>
    </>
  );
}
