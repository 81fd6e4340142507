/**
 * One checklist item on one terminal: title and instructions, the answer
 * input for its type, status, who answered and when, evidence thumbnails,
 * and the follow-ups a failed item needs (note, photo, "report a bug", waive).
 *
 * Keyboard: the row is a tab stop; on it Enter passes, F fails, N marks not
 * applicable. After any answer given from the row (shortcut, button, saved
 * text or number, chosen option) focus moves on to the next visible item,
 * which may be the follow-up the answer just revealed (the run view decides,
 * from the recorded outcome: `onAnswered`).
 */
import { memo, useState, type KeyboardEvent } from 'react';
import { Alert, Badge, Button, Group, Popover, Stack, Text, TextInput } from '@mantine/core';
import { IconBug, IconShieldCheck, IconBan } from '@tabler/icons-react';
import type { Answer } from '#shared/checklists/answers.ts';
import type { ChecklistItem } from '#shared/checklists/template.ts';
import type { RecordResultOutcome, RunItemState } from '#shared/checklists/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PhotoEvidenceInput } from '../../components/PhotoEvidenceInput.tsx';
import { useOpenReport } from '../feedback/openReport.ts';
import { AnswerInput, type AnswerOptions, type NewEvidence } from './AnswerInputs.tsx';
import { isWaivable, itemStatusColor, shortcutAnswer } from './answerUi.ts';
import { EvidenceThumb } from './EvidenceThumb.tsx';
import { useChecklistMutation, useRecordResult } from './queries.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { WaiveModal } from './WaiveModal.tsx';
import classes from './Checklists.module.css';
import { t } from '../../i18n/index.ts';

export type ItemRowProps = {
  number: string;
  item: ChecklistItem;
  state: RunItemState;
  runId: string;
  terminalId: string;
  terminalName: string;
  /** Paused run, or a role that cannot answer. */
  isReadOnly: boolean;
  canWaive: boolean;
  /** Called once an answer given from this row is recorded, with what the back end returned. */
  onAnswered?: (itemId: string, outcome: RecordResultOutcome) => void;
};

export const ItemRow = memo(function ItemRow(props: ItemRowProps) {
  const { item, state } = props;
  const api = useApi();
  const record = useRecordResult();
  const attach = useChecklistMutation(api['checklists:attachEvidence']);
  const [dialog, setDialog] = useState<'waive' | null>(null);
  const openReport = useOpenReport();
  const [note, setNote] = useState(state.result?.note ?? '');
  const result = state.result;
  const isFailing = state.status === 'failed' || state.status === 'blocked';

  /** Attaches the new file first (content-addressed), then records the answer that cites it. */
  async function answer(
    given: Answer,
    newEvidence?: NewEvidence,
    options: { keepEvidence?: boolean; note?: string } = {},
  ) {
    const evidence = options.keepEvidence ? (result?.evidence.map((e) => e.sha256) ?? []) : [];
    if (newEvidence) {
      const ref = await attach.mutateAsync({ runId: props.runId, ...newEvidence });
      evidence.push(ref.sha256);
    }
    const noteText = (options.note ?? '').trim();
    return record.mutateAsync({
      runId: props.runId,
      terminalId: props.terminalId,
      itemId: item.id,
      answer: given,
      ...(noteText ? { note: noteText } : {}),
      ...(evidence.length > 0 ? { evidence } : {}),
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    // Only on the row itself: inside an input, Enter and F are typing.
    if (event.target !== event.currentTarget || props.isReadOnly || item.answer.type !== 'passFail')
      return;
    const value = shortcutAnswer(event.key);
    if (!value) return;
    event.preventDefault();
    void answerAndAdvance({ type: 'passFail', value }).catch(() => undefined);
  }

  /** An answer given from the row's own input: recorded, then focus moves on (unless focus already left). */
  async function answerAndAdvance(
    given: Answer,
    newEvidence?: NewEvidence,
    options: AnswerOptions = {},
  ) {
    const outcome = await answer(given, newEvidence, { note });
    if (options.shouldAdvance !== false) props.onAnswered?.(item.id, outcome);
    return outcome;
  }

  const error = attach.error ?? record.error;
  return (
    <div
      className={classes.item}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-status={state.status}
      data-item-id={item.id}
      data-answer-type={item.answer.type}
      data-mandatory={item.isMandatory}
      data-testid={CHECKLIST_TEST_IDS.item}
      aria-label={`${props.number} ${item.title}: ${t(`checklists:itemStatus.${state.status}`)}`}
    >
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" c="dimmed" ff="monospace" w={34}>
              {props.number}
            </Text>
            <Text size="sm" fw={600}>
              {item.title}
            </Text>
            {item.isMandatory ? (
              <Badge size="xs" variant="outline" color="dark">
                {t('checklists:mandatory')}
              </Badge>
            ) : (
              <Badge size="xs" variant="outline" color="gray">
                {t('checklists:optional')}
              </Badge>
            )}
          </Group>
          {item.instructions && (
            <Text size="xs" c="dimmed" pl={40}>
              {item.instructions}
            </Text>
          )}
          <div style={{ paddingLeft: 40, paddingTop: 4 }}>
            <AnswerInput
              key={result?.eventId ?? 'none'}
              spec={item.answer}
              current={result?.answer ?? null}
              onAnswer={answerAndAdvance}
              disabled={props.isReadOnly || record.isPending || attach.isPending}
              isPending={record.isPending || attach.isPending}
            />
          </div>
          {error && (
            <Alert
              color="red"
              variant="light"
              p={6}
              ml={40}
              data-testid={CHECKLIST_TEST_IDS.itemError}
            >
              <Text size="xs">{error.message}</Text>
            </Alert>
          )}
          {result && result.evidence.length > 0 && (
            <Group gap={6} pl={40} pt={4}>
              {result.evidence.map((e) => (
                <EvidenceThumb key={e.sha256} evidence={e} />
              ))}
            </Group>
          )}
          {isFailing && result && !props.isReadOnly && (
            <Group gap="sm" pl={40} pt={6} align="flex-end">
              <TextInput
                size="xs"
                w={280}
                label={t('checklists:note')}
                placeholder={t('checklists:notePlaceholder')}
                value={note}
                maxLength={1000}
                onChange={(e) => setNote(e.currentTarget.value)}
              />
              <Button
                size="xs"
                variant="default"
                disabled={note.trim() === (result.note ?? '')}
                onClick={() =>
                  void answer(result.answer, undefined, { keepEvidence: true, note }).catch(
                    () => undefined,
                  )
                }
              >
                {t('checklists:saveNote')}
              </Button>
              <PhotoEvidenceInput
                label={t('checklists:addPhoto')}
                testId={CHECKLIST_TEST_IDS.photo}
                // The row's evidence thumbnails show every stored photo once; no second preview here.
                isPreviewShown={false}
                {...(result.evidence.length > 0
                  ? { actionLabel: t('checklists:addAnotherPhoto') }
                  : {})}
                onPhoto={(photo) =>
                  answer(
                    result.answer,
                    {
                      fileName: photo.fileName,
                      mimeType: photo.mimeType,
                      dataBase64: photo.dataBase64,
                    },
                    { keepEvidence: true, note },
                  )
                }
              />
            </Group>
          )}
          {state.waiver && (
            <Text size="xs" c="var(--contrast-warning-text)" pl={40}>
              {t('checklists:waivedBy', {
                name: state.waiver.waivedBy.name,
                reason: state.waiver.reason,
              })}
            </Text>
          )}
        </Stack>
        <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
          <Badge
            color={itemStatusColor(state.status)}
            variant={state.status === 'not_started' ? 'outline' : 'filled'}
          >
            {t(`checklists:itemStatus.${state.status}`)}
          </Badge>
          {result && (
            <Text size="xs" c="dimmed" ta="right">
              {t('checklists:recordedBy', {
                name: result.recordedBy.name,
                when: formatDateTime(result.recordedAt),
              })}
            </Text>
          )}
          {state.bugReportIds.length > 0 && (
            <Badge
              size="xs"
              color="red"
              variant="outline"
              leftSection={<IconBug size={10} />}
              data-testid={CHECKLIST_TEST_IDS.bugBadge}
            >
              {t('checklists:bugFiled', { count: state.bugReportIds.length })}
            </Badge>
          )}
          <Group gap={4}>
            {isFailing && result && !props.isReadOnly && (
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                leftSection={<IconBug size={12} />}
                onClick={() =>
                  void openReport({
                    runId: props.runId,
                    terminalId: props.terminalId,
                    itemId: item.id,
                    itemTitle: item.title,
                  })
                }
                data-testid={CHECKLIST_TEST_IDS.reportBug}
              >
                {t('checklists:reportBug')}
              </Button>
            )}
            {!props.isReadOnly && state.status === 'not_started' && (
              <BlockedButton onBlocked={(reason) => answer({ type: 'blocked', reason })} />
            )}
            {props.canWaive && !props.isReadOnly && isWaivable(state.status) && (
              <Button
                size="compact-xs"
                variant="subtle"
                color="yellow"
                leftSection={<IconShieldCheck size={12} />}
                onClick={() => setDialog('waive')}
                data-testid={CHECKLIST_TEST_IDS.waive}
              >
                {t('checklists:waive')}
              </Button>
            )}
          </Group>
        </Stack>
      </Group>
      {dialog === 'waive' && (
        <WaiveModal
          runId={props.runId}
          terminalId={props.terminalId}
          terminalName={props.terminalName}
          itemId={item.id}
          itemTitle={item.title}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}, isSameRow);

/**
 * Every recorded answer returns a fresh terminal view, so each item's state
 * is a new object: compare what a row shows, so that answering one item of a
 * 300-item checklist re-renders that row, not all 300.
 */
function isSameRow(before: ItemRowProps, after: ItemRowProps): boolean {
  const a = before.state;
  const b = after.state;
  return (
    before.item === after.item &&
    before.number === after.number &&
    before.runId === after.runId &&
    before.terminalId === after.terminalId &&
    before.terminalName === after.terminalName &&
    before.isReadOnly === after.isReadOnly &&
    before.canWaive === after.canWaive &&
    a.status === b.status &&
    a.isVisible === b.isVisible &&
    a.result?.eventId === b.result?.eventId &&
    a.waiver?.eventId === b.waiver?.eventId &&
    a.bugReportIds.length === b.bugReportIds.length
  );
}

function BlockedButton(props: { onBlocked: (reason: string) => Promise<unknown> }) {
  const [isOpen, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <Popover opened={isOpen} onChange={setOpen} position="bottom-end" withArrow trapFocus>
      <Popover.Target>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={<IconBan size={12} />}
          onClick={() => setOpen((o) => !o)}
        >
          {t('checklists:blocked')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            props.onBlocked(reason.trim()).then(
              () => setOpen(false),
              () => undefined,
            );
          }}
        >
          <Stack gap={6} w={260}>
            <TextInput
              size="xs"
              label={t('checklists:blockedReason')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              maxLength={500}
            />
            <Button size="xs" type="submit" color="orange" disabled={reason.trim().length < 3}>
              {t('checklists:blockedSubmit')}
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
