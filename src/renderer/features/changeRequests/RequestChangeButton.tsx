/**
 * "Request a change": a button that opens a modal saying in plain words what
 * deviation is asked for, takes the impact note and the risk level, sends
 * changeRequests:request and shows what happened (pending, and who must
 * approve it) or the back end's refusal. Used by the deployment view and the
 * feature flag panel.
 */
import { useState } from 'react';
import { Alert, Button, Group, Modal, SegmentedControl, Stack, Text, Textarea, type ButtonProps } from '@mantine/core';
import { IconCircleCheck, IconFilePencil } from '@tabler/icons-react';
import { approverRoles, RISK_LEVELS, type Deviation, type RiskLevel } from '../../../shared/deployments/changeRequests.ts';
import contrast from '../../components/contrast.module.css';
import { describeDeviation, rolesInWords } from './deviationText.ts';
import { useDeviationNamer, useRequestChange } from './queries.ts';
import { CHANGE_REQUEST_TEST_IDS } from './testIds.ts';
import { CHANGE_REQUESTS_TEXT, RISK_LABELS } from './text.ts';

/** The same minimum the rules apply (changeRequests.ts), so the button is not enabled for a note that will be refused. */
const MIN_IMPACT_NOTE = 10;

export function RequestChangeButton(props: { deviation: Deviation; label?: string; size?: ButtonProps['size']; variant?: ButtonProps['variant'] }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <>
      <Button
        size={props.size ?? 'xs'}
        variant={props.variant ?? 'light'}
        leftSection={<IconFilePencil size={14} />}
        onClick={() => setIsOpen(true)}
        data-testid={CHANGE_REQUEST_TEST_IDS.requestButton}
      >
        {props.label ?? CHANGE_REQUESTS_TEXT.modalTitle}
      </Button>
      {isOpen && <RequestChangeModal deviation={props.deviation} onClose={() => setIsOpen(false)} />}
    </>
  );
}

function RequestChangeModal(props: { deviation: Deviation; onClose: () => void }) {
  const request = useRequestChange();
  const nameOf = useDeviationNamer();
  const [impactNote, setImpactNote] = useState('');
  const [risk, setRisk] = useState<RiskLevel>('medium');
  const approvers = rolesInWords(approverRoles(props.deviation.kind, risk));
  return (
    <Modal
      opened
      onClose={props.onClose}
      title={CHANGE_REQUESTS_TEXT.modalTitle}
      size="lg"
      className={contrast.contrast}
      data-testid={CHANGE_REQUEST_TEST_IDS.requestModal}
    >
      {request.isSuccess ? (
        <Stack gap="sm">
          <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} title={CHANGE_REQUESTS_TEXT.sent} data-testid={CHANGE_REQUEST_TEST_IDS.requestResult}>
            <Text size="sm">{describeDeviation(request.data.deviation, nameOf(request.data.deviation))}</Text>
            <Text size="sm" mt={4}>
              {CHANGE_REQUESTS_TEXT.sentDetail(rolesInWords(approverRoles(request.data.deviation.kind, request.data.risk)))}
            </Text>
          </Alert>
          <Group justify="flex-end">
            <Button onClick={props.onClose}>{CHANGE_REQUESTS_TEXT.close}</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            request.mutate({ deviation: props.deviation, impactNote: impactNote.trim(), risk });
          }}
        >
          <Stack gap="sm">
            <div>
              <Text size="sm" fw={600}>
                {CHANGE_REQUESTS_TEXT.whatIsAsked}
              </Text>
              <Text size="sm" data-testid={CHANGE_REQUEST_TEST_IDS.requestDeviation}>
                {describeDeviation(props.deviation, nameOf(props.deviation))}
              </Text>
            </div>
            <Textarea
              label={CHANGE_REQUESTS_TEXT.impactLabel}
              placeholder={CHANGE_REQUESTS_TEXT.impactPlaceholder}
              value={impactNote}
              onChange={(e) => setImpactNote(e.currentTarget.value)}
              minRows={3}
              autosize
              maxLength={4_000}
              required
              data-autofocus
              data-testid={CHANGE_REQUEST_TEST_IDS.requestImpact}
            />
            <div>
              <Text size="sm" fw={500} mb={4} id="change-request-risk-label">
                {CHANGE_REQUESTS_TEXT.riskLabel}
              </Text>
              <SegmentedControl
                aria-labelledby="change-request-risk-label"
                value={risk}
                onChange={(value) => setRisk(value)}
                data={RISK_LEVELS.map((level) => ({ value: level, label: RISK_LABELS[level] }))}
                data-testid={CHANGE_REQUEST_TEST_IDS.requestRisk}
              />
            </div>
            <Text size="sm" c="dimmed">
              {CHANGE_REQUESTS_TEXT.approvedBy(approvers)}
            </Text>
            {request.error && (
              <Alert color="red" variant="light" data-testid={CHANGE_REQUEST_TEST_IDS.requestError}>
                {request.error.message}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {CHANGE_REQUESTS_TEXT.cancel}
              </Button>
              <Button
                type="submit"
                disabled={impactNote.trim().length < MIN_IMPACT_NOTE}
                loading={request.isPending}
                data-testid={CHANGE_REQUEST_TEST_IDS.requestSubmit}
              >
                {CHANGE_REQUESTS_TEXT.submit}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
