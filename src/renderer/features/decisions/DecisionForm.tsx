/** The manager's signed decision: choice, reason, conditions, PIN re-entry and a drawn signature. */
import { useState } from 'react';
import { useForm } from '@mantine/form';
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
import { decisionRecordInput } from '#shared/contract/decisions.ts';
import type { InputOf } from '#shared/contract/define.ts';
import type { Contract } from '#shared/contract/index.ts';
import { conditionProblems, type Decision } from '#shared/decisions/signing.ts';
import type { VerdictView } from '#shared/decisions/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { ruleText, signingText } from '../../api/errorText.ts';
import { FORM_ERROR, validateWith } from '../../components/forms/validateWith.ts';
import { SignaturePad } from '../../components/SignaturePad.tsx';
import { useChecklistMutation } from '../checklists/queries.ts';
import { DECISION_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';
import { useReportSignOff } from '../../app/onScreen.ts';
import { ComplianceGate } from '../compliance/ComplianceGate.tsx';

const CHOICES: Decision[] = ['go', 'go-with-conditions', 'no-go'];

/** The form's fields; the call's input is built from them (`toInput`). */
type DecisionValues = {
  decision: Decision;
  reason: string;
  /** One condition per line, as typed. */
  conditions: string;
  pin: string;
  signature: string | null;
};

function conditionList(text: string): string[] {
  return text
    .split('\n')
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

/** The `decisions:record` input these values would send. */
function toInput(view: VerdictView, values: DecisionValues): InputOf<Contract['decisions:record']> {
  return {
    releaseId: view.releaseId,
    storeId: view.storeId,
    decision: values.decision,
    reason: values.reason.trim(),
    ...(values.decision === 'go-with-conditions'
      ? { conditions: conditionList(values.conditions) }
      : {}),
    // The risks ticked beside the form (the verdict echoes those still open).
    ...(view.acknowledgedRiskIds.length > 0
      ? { acknowledgedRiskIds: view.acknowledgedRiskIds }
      : {}),
    pin: values.pin,
    signaturePngBase64: values.signature ?? '',
  };
}

const FIELD_OF_INPUT: Readonly<Record<string, keyof DecisionValues>> = {
  reason: 'reason',
  conditions: 'conditions',
  pin: 'pin',
  signaturePngBase64: 'signature',
};

/** The contract's rules, then the conditions rule signing applies (it spans two fields). */
function validate(view: VerdictView) {
  const byContract = validateWith(
    decisionRecordInput,
    (values: DecisionValues) => toInput(view, values),
    (path) => FIELD_OF_INPUT[path[0] ?? ''] ?? null,
  );
  return (values: DecisionValues) => {
    const errors = byContract(values);
    const [problem] = conditionProblems(values.decision, conditionList(values.conditions));
    if (problem !== undefined && errors.conditions === undefined)
      errors.conditions = ruleText(problem);
    return errors;
  };
}

export function DecisionForm(props: { view: VerdictView }) {
  const { view } = props;
  const api = useApi();
  const record = useChecklistMutation(api['decisions:record']);
  const isGoVerdict = view.verdict === 'go';
  const isAllowed = (choice: Decision) => view.signing.allowed[choice];
  const preferred: Decision = isGoVerdict ? 'go' : 'no-go';
  const form = useForm<DecisionValues>({
    initialValues: {
      decision: isAllowed(preferred) ? preferred : (CHOICES.find(isAllowed) ?? preferred),
      reason: '',
      conditions: '',
      pin: '',
      signature: null,
    },
    validate: validate(view),
  });
  // The pad keeps its strokes itself: a new key clears it after a signed decision.
  const [padKey, setPadKey] = useState(0);
  const { decision, reason, pin, signature } = form.values;
  // A sign-off being filled in holds back the console's update restart.
  useReportSignOff(reason !== '' || pin !== '' || signature !== null);

  const submit = form.onSubmit((values) =>
    record.mutate(toInput(view, values), {
      onSuccess: (signed) => {
        notifications.show({
          color: 'teal',
          title: t('decisions:signed'),
          message: `${t(`decisions:decisions.${signed.decision}`)} — ${signed.releaseVersion}, ${signed.storeName}`,
        });
        form.setValues({ reason: '', conditions: '', signature: null });
        setPadKey((k) => k + 1);
      },
      // A wrong PIN must be typed again, not resubmitted.
      onSettled: () => form.setFieldValue('pin', ''),
    }),
  );

  const blocking = view.signing.problems;
  const canSignAny = CHOICES.some(isAllowed);
  return (
    <form onSubmit={submit} noValidate data-testid={DECISION_TEST_IDS.form}>
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
                <List.Item key={p.code}>{signingText(p)}</List.Item>
              ))}
            </List>
          </Alert>
        )}
        <ComplianceGate criteria={view.criteria} />
        <div>
          <Text size="sm" fw={500} mb={4}>
            {t('decisions:decisionLabel')}
          </Text>
          <SegmentedControl
            fullWidth
            value={decision}
            onChange={(value) => form.setFieldValue('decision', value)}
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
          {...form.getInputProps('reason')}
          autosize
          minRows={2}
          maxLength={1000}
          data-testid={DECISION_TEST_IDS.reason}
        />
        {decision === 'go-with-conditions' && (
          <Textarea
            label={t('decisions:conditions')}
            description={t('decisions:conditionsHint')}
            {...form.getInputProps('conditions')}
            autosize
            minRows={2}
            data-testid={DECISION_TEST_IDS.conditions}
          />
        )}
        <SignaturePad
          key={padKey}
          label={t('decisions:signature')}
          onChange={(value) => form.setFieldValue('signature', value)}
          error={typeof form.errors.signature === 'string' ? form.errors.signature : null}
          testId={DECISION_TEST_IDS.signature}
        />
        <PasswordInput
          label={t('decisions:pin')}
          description={t('decisions:pinHint')}
          {...form.getInputProps('pin')}
          autoComplete="off"
          inputMode="numeric"
          maxLength={12}
          w={200}
          data-testid={DECISION_TEST_IDS.pin}
        />
        {(form.errors[FORM_ERROR] ?? record.error) && (
          <Alert color="red" variant="light" data-testid={DECISION_TEST_IDS.error}>
            {form.errors[FORM_ERROR] ?? record.error?.message}
          </Alert>
        )}
        <Button
          type="submit"
          leftSection={<IconSignature size={16} />}
          color={decision === 'no-go' ? 'red' : 'teal'}
          loading={record.isPending}
          disabled={!isAllowed(decision) || view.acknowledgedRiskIds.length < view.openRisks.length}
          data-testid={DECISION_TEST_IDS.submit}
        >
          {t('decisions:submit')}: {t(`decisions:decisions.${decision}`)}
        </Button>
      </Stack>
    </form>
  );
}
