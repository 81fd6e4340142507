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
import { DECISIONS_TEXT } from './text.ts';

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

  function submit() {
    const conditionList = conditions
      .split('\n')
      .map((c) => c.trim())
      .filter((c) => c.length > 0);
    const missing =
      reason.trim().length < 3
        ? DECISIONS_TEXT.needReason
        : decision === 'go-with-conditions' && conditionList.length === 0
          ? DECISIONS_TEXT.needConditions
          : !pin
            ? DECISIONS_TEXT.needPin
            : !signature
              ? DECISIONS_TEXT.needSignature
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
            title: DECISIONS_TEXT.signed,
            message: `${DECISIONS_TEXT.decisions[signed.decision]} — ${signed.releaseVersion}, ${signed.storeName}`,
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
            title={canSignAny ? DECISIONS_TEXT.someChoicesClosed : DECISIONS_TEXT.cannotSign}
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
            {DECISIONS_TEXT.decisionLabel}
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
                  <Tooltip label={DECISIONS_TEXT.goDisabled}>
                    <span>{DECISIONS_TEXT.decisions[choice]}</span>
                  </Tooltip>
                ) : (
                  DECISIONS_TEXT.decisions[choice]
                ),
            }))}
            color={decision === 'no-go' ? 'red' : decision === 'go' ? 'teal' : 'yellow'}
            data-testid={DECISION_TEST_IDS.choice}
          />
        </div>
        <Textarea
          label={DECISIONS_TEXT.reason}
          placeholder={DECISIONS_TEXT.reasonPlaceholder}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={1000}
          data-testid={DECISION_TEST_IDS.reason}
        />
        {decision === 'go-with-conditions' && (
          <Textarea
            label={DECISIONS_TEXT.conditions}
            description={DECISIONS_TEXT.conditionsHint}
            value={conditions}
            onChange={(e) => setConditions(e.currentTarget.value)}
            autosize
            minRows={2}
            data-testid={DECISION_TEST_IDS.conditions}
          />
        )}
        <SignaturePad
          key={padKey}
          label={DECISIONS_TEXT.signature}
          onChange={setSignature}
          testId={DECISION_TEST_IDS.signature}
        />
        <PasswordInput
          label={DECISIONS_TEXT.pin}
          description={DECISIONS_TEXT.pinHint}
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
          {DECISIONS_TEXT.submit}: {DECISIONS_TEXT.decisions[decision]}
        </Button>
      </Stack>
    </form>
  );
}
