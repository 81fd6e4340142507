/** The manager's signed decision: choice, reason, conditions, PIN re-entry and a drawn signature. */
import { useState } from 'react';
import {
  Alert,
  Button,
  List,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconSignature } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import type { Decision } from '#shared/decisions/signing.ts';
import type { VerdictView } from '#shared/decisions/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { SignaturePad } from '../../components/SignaturePad.tsx';
import { useChecklistMutation } from '../checklists/queries.ts';
import { DECISION_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';
import { useReportSignOff } from '../../app/onScreen.ts';

const CHOICES: Decision[] = ['go', 'go-with-conditions', 'no-go'];

export function DecisionForm(props: { view: VerdictView }) {
  const { view } = props;
  const api = useApi();
  const record = useChecklistMutation(api['decisions:record']);
  const isGoVerdict = view.verdict === 'go';
  const isAllowed = (choice: Decision) => view.signing.allowed[choice];
  const [decision, setDecision] = useState<Decision>(() => {
    const preferred: Decision = isGoVerdict ? 'go' : 'no-go';
    return isAllowed(preferred) ? preferred : (CHOICES.find(isAllowed) ?? preferred);
  });
  const [reason, setReason] = useState('');
  const [conditions, setConditions] = useState('');
  const [pin, setPin] = useState('');
  const [signature, setSignature] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [padKey, setPadKey] = useState(0);
  // A sign-off being filled in holds back the console's update restart.
  useReportSignOff(reason !== '' || pin !== '' || signature !== null);

  function submit() {
    const conditionList = conditions
      .split('\n')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    const missing =
      reason.trim().length < 3
        ? t('decisions:needReason')
        : decision === 'go-with-conditions' && conditionList.length === 0
          ? t('decisions:needConditions')
          : !pin
            ? t('decisions:needPin')
            : !signature
              ? t('decisions:needSignature')
              : null;
    setProblem(missing);
    if (missing || !signature) return;
    record.mutate(
      {
        releaseId: view.releaseId,
        storeId: view.storeId,
        decision,
        reason: reason.trim(),
        ...(decision === 'go-with-conditions' ? { conditions: conditionList } : {}),
        pin,
        signaturePngBase64: signature,
      },
      {
        onSuccess: (signed) => {
          notifications.show({
            color: 'teal',
            title: t('decisions:signed'),
            message: `${t(`decisions:decisions.${signed.decision}`)} — ${signed.releaseVersion}, ${signed.storeName}`,
          });
          setReason('');
          setConditions('');
          setSignature(null);
          setPadKey((k) => k + 1);
        },
        // A wrong PIN must be typed again, not resubmitted.
        onSettled: () => setPin(''),
      },
    );
  }

  const blocking = view.signing.problems;
  const canSignAny = CHOICES.some(isAllowed);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      data-testid={DECISION_TEST_IDS.form}
    >
      <Stack gap="sm">
        {blocking.length > 0 && (
          <Alert
            color={canSignAny ? 'blue' : 'orange'}
            variant="light"
            title={canSignAny ? t('decisions:someChoicesClosed') : t('decisions:cannotSign')}
            data-testid={DECISION_TEST_IDS.signingProblem}
            data-can-sign={canSignAny}
          >
            <List size="sm">
              {blocking.map((p) => (
                <List.Item key={p}>{p}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('decisions:decisionLabel')}
          </Text>
          <SegmentedControl
            fullWidth
            value={decision}
            onChange={(value) => setDecision(value)}
            data={CHOICES.map((choice) => ({
              value: choice,
              disabled: !isAllowed(choice),
              label:
                choice === 'go' && !isGoVerdict ? (
                  <Tooltip label={t('decisions:goDisabled')}>
                    <span>{t(`decisions:decisions.${choice}`)}</span>
                  </Tooltip>
                ) : (
                  t(`decisions:decisions.${choice}`)
                ),
            }))}
            color={decision === 'no-go' ? 'red' : decision === 'go' ? 'teal' : 'yellow'}
            data-testid={DECISION_TEST_IDS.choice}
          />
        </div>
        <Textarea
          label={t('decisions:reason')}
          placeholder={t('decisions:reasonPlaceholder')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={1000}
          data-testid={DECISION_TEST_IDS.reason}
        />
        {decision === 'go-with-conditions' && (
          <Textarea
            label={t('decisions:conditions')}
            description={t('decisions:conditionsHint')}
            value={conditions}
            onChange={(e) => setConditions(e.currentTarget.value)}
            autosize
            minRows={2}
            data-testid={DECISION_TEST_IDS.conditions}
          />
        )}
        <SignaturePad
          key={padKey}
          label={t('decisions:signature')}
          onChange={setSignature}
          testId={DECISION_TEST_IDS.signature}
        />
        <PasswordInput
          label={t('decisions:pin')}
          description={t('decisions:pinHint')}
          value={pin}
          onChange={(e) => setPin(e.currentTarget.value)}
          autoComplete="off"
          inputMode="numeric"
          maxLength={12}
          w={200}
          data-testid={DECISION_TEST_IDS.pin}
        />
        {(problem ?? record.error) && (
          <Alert color="red" variant="light" data-testid={DECISION_TEST_IDS.error}>
            {problem ?? record.error?.message}
          </Alert>
        )}
        <Button
          type="submit"
          leftSection={<IconSignature size={16} />}
          color={decision === 'no-go' ? 'red' : 'teal'}
          loading={record.isPending}
          disabled={!isAllowed(decision)}
          data-testid={DECISION_TEST_IDS.submit}
        >
          {t('decisions:submit')}: {t(`decisions:decisions.${decision}`)}
        </Button>
      </Stack>
    </form>
  );
}
