/**
 * Mounted once in the shell: Ctrl/Cmd+Shift+B and the desktop menu's
 * "Report a problem…" open the report form, Ctrl/Cmd+Shift+F the feature
 * request form; this renders either while open. The status bar's buttons
 * are `ReportProblemButton` and `RequestFeatureButton`.
 */
import { useEffect } from 'react';
import { Button, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconBug, IconBulb } from '@tabler/icons-react';
import { useCan } from '../../api/permissions.ts';
import { useAppStore } from '../../state/store.ts';
import { useApiEvents } from '../../api/ApiContext.tsx';
import { useOpenReport } from './openReport.ts';
import { FeatureRequestModal } from './FeatureRequestModal.tsx';
import { ReportProblemModal } from './ReportProblemModal.tsx';
import { FEEDBACK_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export function ReportLauncher() {
  const request = useAppStore((s) => s.reportRequest);
  const open = useOpenReport();
  const permission = useCan('feedback:fileBugReport');
  const canRequest = useCan('feedback:fileFeatureRequest');
  const isRequestOpen = useAppStore((s) => s.isFeatureRequestOpen);
  const setRequestOpen = useAppStore((s) => s.setFeatureRequestOpen);
  const events = useApiEvents();
  // Also while typing in a field: the shortcut is how someone reports what they are stuck on.
  useHotkeys(
    [
      ['mod+shift+B', () => permission.allowed && void open()],
      ['mod+shift+F', () => canRequest.allowed && request === null && setRequestOpen(true)],
    ],
    [],
  );
  useEffect(
    () => events?.on('shell:reportProblem', () => permission.allowed && void open()),
    [events, open, permission.allowed],
  );
  useEffect(
    () =>
      events?.on(
        'shell:requestFeature',
        () => canRequest.allowed && request === null && setRequestOpen(true),
      ),
    [events, canRequest.allowed, request, setRequestOpen],
  );
  if (request) return <ReportProblemModal request={request} />;
  return isRequestOpen ? <FeatureRequestModal onClose={() => setRequestOpen(false)} /> : null;
}

export function RequestFeatureButton() {
  const setRequestOpen = useAppStore((s) => s.setFeatureRequestOpen);
  const permission = useCan('feedback:fileFeatureRequest');
  return (
    <Tooltip label={permission.reason ?? t('feedback:request.openHint')}>
      <Button
        size="compact-xs"
        variant="subtle"
        leftSection={<IconBulb size={14} />}
        disabled={!permission.allowed}
        onClick={() => setRequestOpen(true)}
        data-testid={FEEDBACK_TEST_IDS.openRequest}
      >
        {t('feedback:request.open')}
      </Button>
    </Tooltip>
  );
}

export function ReportProblemButton() {
  const open = useOpenReport();
  const permission = useCan('feedback:fileBugReport');
  return (
    <Tooltip label={permission.reason ?? t('feedback:form.openHint')}>
      <Button
        size="compact-xs"
        variant="subtle"
        color="red"
        leftSection={<IconBug size={14} />}
        disabled={!permission.allowed}
        onClick={() => void open()}
        data-testid={FEEDBACK_TEST_IDS.openReport}
      >
        {t('feedback:form.open')}
      </Button>
    </Tooltip>
  );
}
