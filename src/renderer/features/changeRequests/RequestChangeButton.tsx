/**
 * "Request a change": a button that opens a modal saying in plain words what
 * deviation is asked for, takes the impact note and the risk level, sends
 * changeRequests:request and shows what happened (pending, and who must
 * approve it) or the back end's refusal. Used by the deployment view and the
 * feature flag panel.
 */
import { useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  type ButtonProps,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck, IconFilePencil } from '@tabler/icons-react';
import {
  approverRoles,
  RISK_LEVELS,
  type Deviation,
  type RiskLevel,
} from '#shared/deployments/changeRequests.ts';
import { changeRequestInput } from '#shared/contract/changeRequests.ts';
import { useCan } from '../../api/permissions.ts';
import { NoteSection } from '../../components/forms/NoteSection.tsx';
import { FORM_ERROR, validateWith } from '../../components/forms/validateWith.ts';
import contrast from '../../components/contrast.module.css';
import { NotAllowedNote } from '../../components/NotAllowedNote.tsx';
import { describeDeviation, rolesInWords } from './deviationText.ts';
import { useDeviationNamer, useRequestChange } from './queries.ts';
import { CHANGE_REQUEST_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

export function RequestChangeButton(props: {
  deviation: Deviation;
  label?: string;
  size?: ButtonProps['size'];
  variant?: ButtonProps['variant'];
}) {
  const [isOpen, setIsOpen] = useState(false);
  const canRequest = useCan('changeRequests:request');
  return (
    <>
      <Button
        size={props.size ?? 'xs'}
        variant={props.variant ?? 'light'}
        leftSection={<IconFilePencil size={14} />}
        onClick={() => setIsOpen(true)}
        disabled={!canRequest.allowed}
        data-testid={CHANGE_REQUEST_TEST_IDS.requestButton}
      >
        {props.label ?? t('changeRequests:modalTitle')}
      </Button>
      <NotAllowedNote permission={canRequest} />
      {isOpen && (
        <RequestChangeModal deviation={props.deviation} onClose={() => setIsOpen(false)} />
      )}
    </>
  );
}

function RequestChangeModal(props: { deviation: Deviation; onClose: () => void }) {
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={t('changeRequests:modalTitle')}
      size="lg"
      className={contrast.contrast}
      closeButtonProps={{ 'aria-label': t('changeRequests:close') }}
      data-testid={CHANGE_REQUEST_TEST_IDS.requestModal}
    >
      <RequestChangeForm deviation={props.deviation} onClose={props.onClose} />
    </Modal>
  );
}

/**
 * The body of a change request: what is asked in plain words, impact, risk,
 * who must approve, then the outcome. `deviation` is null while the fields
 * above (`children`, e.g. a release and a time span) are not complete yet.
 */
export function RequestChangeForm(props: {
  deviation: Deviation | null;
  onClose: () => void;
  children?: ReactNode;
}) {
  const request = useRequestChange();
  const nameOf = useDeviationNamer();
  const { deviation } = props;
  const form = useForm<{ impactNote: string; risk: RiskLevel }>({
    initialValues: { impactNote: '', risk: 'medium' },
    // The deviation is the fields above; until they are complete there is nothing to judge but the note.
    validate: validateWith(
      changeRequestInput,
      (values) => ({ deviation, impactNote: values.impactNote.trim(), risk: values.risk }),
      (path) => (path[0] === 'impactNote' ? 'impactNote' : null),
    ),
  });
  const { risk } = form.values;
  if (request.isSuccess) {
    return (
      <Stack gap="sm">
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          title={t('changeRequests:sent')}
          data-testid={CHANGE_REQUEST_TEST_IDS.requestResult}
        >
          <Text size="sm">
            {describeDeviation(request.data.deviation, nameOf(request.data.deviation))}
          </Text>
          <Text size="sm" mt={4}>
            {t('changeRequests:sentDetail', {
              roles: rolesInWords(approverRoles(request.data.deviation.kind, request.data.risk)),
            })}
          </Text>
        </Alert>
        <Group justify="flex-end">
          <Button onClick={props.onClose} data-testid={CHANGE_REQUEST_TEST_IDS.requestDone}>
            {t('changeRequests:close')}
          </Button>
        </Group>
      </Stack>
    );
  }
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        if (deviation !== null)
          request.mutate({ deviation, impactNote: values.impactNote.trim(), risk: values.risk });
      })}
    >
      <Stack gap="sm">
        {props.children}
        <div>
          <Text size="sm" fw={600}>
            {t('changeRequests:whatIsAsked')}
          </Text>
          <Text
            size="sm"
            c={deviation === null ? 'dimmed' : undefined}
            data-testid={CHANGE_REQUEST_TEST_IDS.requestDeviation}
          >
            {deviation === null
              ? t('changeRequests:incomplete')
              : describeDeviation(deviation, nameOf(deviation))}
          </Text>
        </div>
        <NoteSection
          label={t('changeRequests:impactLabel')}
          placeholder={t('changeRequests:impactPlaceholder')}
          maxLength={4_000}
          input={form.getInputProps('impactNote')}
          noteTestId={CHANGE_REQUEST_TEST_IDS.requestImpact}
          problem={form.errors[FORM_ERROR] ?? request.error?.message}
          problemTestId={CHANGE_REQUEST_TEST_IDS.requestError}
          cancelLabel={t('changeRequests:cancel')}
          onCancel={props.onClose}
          submitLabel={t('changeRequests:submit')}
          submitTestId={CHANGE_REQUEST_TEST_IDS.requestSubmit}
          isPending={request.isPending}
          isSubmitDisabled={deviation === null}
        >
          <div>
            <Text size="sm" fw={500} mb={4} id="change-request-risk-label">
              {t('changeRequests:riskLabel')}
            </Text>
            <SegmentedControl
              aria-labelledby="change-request-risk-label"
              value={risk}
              onChange={(value) => form.setFieldValue('risk', value)}
              data={RISK_LEVELS.map((level) => ({
                value: level,
                label: t(`domain:risk.${level}`),
              }))}
              data-testid={CHANGE_REQUEST_TEST_IDS.requestRisk}
            />
          </div>
          {deviation !== null && (
            <Text size="sm" c="dimmed">
              {t('changeRequests:approvedBy', {
                roles: rolesInWords(approverRoles(deviation.kind, risk)),
              })}
            </Text>
          )}
        </NoteSection>
      </Stack>
    </form>
  );
}
