/**
 * One input per answer type. Each calls `onAnswer` with the answer to record
 * (and, for photo and signature, the file to attach first); the item row
 * records it and shows the back end's verdict or refusal.
 */
import { useRef, useState } from 'react';
import { Badge, Button, Group, NumberInput, Radio, Text, TextInput } from '@mantine/core';
import { IconCheck, IconMinus, IconX } from '@tabler/icons-react';
import type { Answer } from '#shared/checklists/answers.ts';
import type { AnswerSpec, PassFailValue } from '#shared/checklists/template.ts';
import { assertNever } from '#shared/errors.ts';
import { PhotoEvidenceInput, type PreparedPhoto } from '../../components/PhotoEvidenceInput.tsx';
import { SignaturePad } from '../../components/SignaturePad.tsx';
import { judgeNumber, thresholdText } from './answerUi.ts';
import { CHECKLIST_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

/** A file the row attaches (checklists:attachEvidence) before recording the answer that cites it. */
export type NewEvidence = {
  fileName: string;
  mimeType: 'image/jpeg' | 'image/png';
  dataBase64: string;
};

export type AnswerOptions = {
  /** False when the answer is saved because focus left the input: focus must not be pulled back. */
  shouldAdvance?: boolean;
};

export type AnswerHandler = (
  answer: Answer,
  evidence?: NewEvidence,
  options?: AnswerOptions,
) => Promise<unknown>;

type InputProps<T extends AnswerSpec['type']> = {
  spec: Extract<AnswerSpec, { type: T }>;
  current: Answer | null;
  onAnswer: AnswerHandler;
  disabled: boolean;
  isPending: boolean;
};

export function AnswerInput(props: {
  spec: AnswerSpec;
  current: Answer | null;
  onAnswer: AnswerHandler;
  disabled: boolean;
  isPending: boolean;
}) {
  const { spec, ...rest } = props;
  switch (spec.type) {
    case 'passFail':
      return <PassFailInput spec={spec} {...rest} />;
    case 'number':
      return <NumberAnswerInput spec={spec} {...rest} />;
    case 'text':
      return <TextAnswerInput spec={spec} {...rest} />;
    case 'choice':
      return <ChoiceInput spec={spec} {...rest} />;
    case 'photo':
      return <PhotoInput spec={spec} {...rest} />;
    case 'signature':
      return <SignatureInput spec={spec} {...rest} />;
    default:
      return assertNever(spec, 'answer spec');
  }
}

const PASS_FAIL_BUTTONS: Array<{
  value: PassFailValue;
  label: string;
  color: string;
  icon: React.ReactNode;
  testId: string;
}> = [
  {
    value: 'pass',
    get label() {
      return t('checklists:pass');
    },
    color: 'teal',
    icon: <IconCheck size={14} />,
    testId: CHECKLIST_TEST_IDS.pass,
  },
  {
    value: 'fail',
    get label() {
      return t('checklists:fail');
    },
    color: 'red',
    icon: <IconX size={14} />,
    testId: CHECKLIST_TEST_IDS.fail,
  },
  {
    value: 'na',
    get label() {
      return t('checklists:na');
    },
    color: 'gray',
    icon: <IconMinus size={14} />,
    testId: CHECKLIST_TEST_IDS.na,
  },
];

function PassFailInput(props: InputProps<'passFail'>) {
  const value = props.current?.type === 'passFail' ? props.current.value : null;
  return (
    <Button.Group>
      {PASS_FAIL_BUTTONS.map((b) => (
        <Button
          key={b.value}
          size="xs"
          color={b.color}
          variant={value === b.value ? 'filled' : 'default'}
          leftSection={b.icon}
          aria-pressed={value === b.value}
          disabled={props.disabled}
          onClick={() =>
            void props.onAnswer({ type: 'passFail', value: b.value }).catch(() => undefined)
          }
          data-testid={b.testId}
        >
          {b.label}
        </Button>
      ))}
    </Button.Group>
  );
}

function NumberAnswerInput(props: InputProps<'number'>) {
  const recorded = props.current?.type === 'number' ? props.current.value : '';
  const [value, setValue] = useState<string | number>(recorded);
  const judgement = judgeNumber(props.spec, value);
  const canSave = (judgement.kind === 'pass' || judgement.kind === 'fail') && value !== recorded;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave)
          void props.onAnswer({ type: 'number', value: Number(value) }).catch(() => undefined);
      }}
    >
      <Group gap="xs" align="center" wrap="nowrap">
        <NumberInput
          size="xs"
          w={130}
          value={value}
          onChange={setValue}
          allowDecimal={false}
          rightSection={
            <Text size="xs" c="dimmed" pr={4}>
              {props.spec.unit}
            </Text>
          }
          rightSectionWidth={Math.max(28, props.spec.unit.length * 8 + 12)}
          hideControls
          disabled={props.disabled}
          aria-label={props.spec.unit}
          data-testid={CHECKLIST_TEST_IDS.numberInput}
        />
        <Text size="xs" c="dimmed" className="nowrap">
          {t('checklists:limit', { text: thresholdText(props.spec) })}
        </Text>
        <LiveJudgement judgement={judgement} op={props.spec.threshold.op} unit={props.spec.unit} />
        <Button
          size="xs"
          type="submit"
          variant="light"
          disabled={props.disabled || !canSave}
          loading={props.isPending}
          data-testid={CHECKLIST_TEST_IDS.save}
        >
          {t('checklists:save')}
        </Button>
      </Group>
    </form>
  );
}

function LiveJudgement(props: {
  judgement: ReturnType<typeof judgeNumber>;
  op: '<=' | '>=';
  unit: string;
}) {
  const j = props.judgement;
  switch (j.kind) {
    case 'empty':
      return null;
    case 'pass':
      return (
        <Badge size="sm" color="teal" variant="light" tt="none">
          {t('checklists:wouldPass')}
        </Badge>
      );
    case 'fail':
      return (
        <Badge size="sm" color="red" variant="light" tt="none">
          {props.op === '<=' ? t('checklists:wouldFail') : t('checklists:wouldFailAtLeast')}
        </Badge>
      );
    case 'notWhole':
      return (
        <Badge size="sm" color="orange" variant="light" tt="none">
          {t('checklists:notWhole')}
        </Badge>
      );
    case 'outOfRange':
      return (
        <Badge size="sm" color="orange" variant="light" tt="none">
          {t('checklists:outOfRange', { min: j.min, max: j.max, unit: props.unit })}
        </Badge>
      );
    default:
      return assertNever(j, 'number judgement');
  }
}

function TextAnswerInput(props: InputProps<'text'>) {
  const recorded = props.current?.type === 'text' ? props.current.value : '';
  const [value, setValue] = useState(recorded);
  const canSave = value.trim().length > 0 && value.trim() !== recorded;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (canSave)
          void props.onAnswer({ type: 'text', value: value.trim() }).catch(() => undefined);
      }}
    >
      <Group gap="xs" wrap="nowrap">
        <TextInput
          size="xs"
          style={{ flex: 1 }}
          maw={480}
          value={value}
          maxLength={props.spec.maxLength}
          placeholder={t('checklists:textPlaceholder')}
          onChange={(e) => setValue(e.currentTarget.value)}
          disabled={props.disabled}
          aria-label={t('checklists:textPlaceholder')}
          data-testid={CHECKLIST_TEST_IDS.textInput}
        />
        <Button
          size="xs"
          type="submit"
          variant="light"
          disabled={props.disabled || !canSave}
          loading={props.isPending}
          data-testid={CHECKLIST_TEST_IDS.save}
        >
          {t('checklists:save')}
        </Button>
      </Group>
    </form>
  );
}

const ARROW_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight']);

/**
 * A choice saves when an option is clicked or Space-selected. Arrow keys only
 * move the selection (a radio group selects what it passes over): Enter saves
 * the one reached, and so does leaving the group, so passing over options
 * never records them.
 */
function ChoiceInput(props: InputProps<'choice'>) {
  const recorded = props.current?.type === 'choice' ? props.current.optionId : null;
  const [picked, setPicked] = useState<string | null>(recorded);
  const isArrowMove = useRef(false);
  // What was last sent: Enter moves focus on, and the blur that follows must not send it again.
  const sent = useRef<string | null>(recorded);
  const save = (optionId: string | null, options?: AnswerOptions) => {
    if (optionId === null || optionId === sent.current) return;
    const before = sent.current;
    sent.current = optionId;
    void props.onAnswer({ type: 'choice', optionId }, undefined, options).catch(() => {
      sent.current = before;
    });
  };
  return (
    <div
      onPointerDown={() => {
        isArrowMove.current = false;
      }}
      onKeyDown={(e) => {
        if (ARROW_KEYS.has(e.key)) isArrowMove.current = true;
        else if (e.key === 'Enter') {
          e.preventDefault();
          save(picked);
        }
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) save(picked, { shouldAdvance: false });
      }}
    >
      <Radio.Group
        value={picked}
        onChange={(optionId) => {
          setPicked(optionId);
          if (!isArrowMove.current) save(optionId);
          isArrowMove.current = false;
        }}
        data-testid={CHECKLIST_TEST_IDS.choice}
      >
        <Group gap="md">
          {props.spec.options.map((o) => (
            <Radio
              key={o.id}
              value={o.id}
              label={o.label}
              size="xs"
              disabled={props.disabled}
              color={props.spec.failingOptionIds.includes(o.id) ? 'red' : 'teal'}
            />
          ))}
          {picked !== recorded && (
            <Text size="xs" c="dimmed" data-testid={CHECKLIST_TEST_IDS.choiceHint}>
              {t('checklists:choiceEnterHint')}
            </Text>
          )}
        </Group>
      </Radio.Group>
    </div>
  );
}

function PhotoInput(props: InputProps<'photo'>) {
  return (
    <PhotoEvidenceInput
      label={t('checklists:photoLabel')}
      disabled={props.disabled}
      // The stored photo is the row's evidence thumbnail: one picture, and the button replaces it.
      hasStoredPhoto={props.current?.type === 'photo'}
      isPreviewShown={false}
      testId={CHECKLIST_TEST_IDS.photo}
      onPhoto={(photo: PreparedPhoto) =>
        props.onAnswer(
          { type: 'photo' },
          { fileName: photo.fileName, mimeType: photo.mimeType, dataBase64: photo.dataBase64 },
        )
      }
    />
  );
}

function SignatureInput(props: InputProps<'signature'>) {
  const [png, setPng] = useState<string | null>(null);
  const isSaved = props.current?.type === 'signature';
  return (
    <Group align="flex-end" gap="xs" wrap="nowrap">
      <div style={{ width: 360 }}>
        <SignaturePad
          label={t('checklists:signatureLabel')}
          onChange={setPng}
          height={110}
          disabled={props.disabled}
          testId={CHECKLIST_TEST_IDS.signature}
          savedText={isSaved ? t('checklists:signatureSaved') : null}
        />
      </div>
      <Button
        size="xs"
        variant="light"
        disabled={props.disabled || !png}
        loading={props.isPending}
        mb={30}
        onClick={() =>
          png &&
          void props
            .onAnswer(
              { type: 'signature' },
              { fileName: 'signature.png', mimeType: 'image/png', dataBase64: png },
            )
            .catch(() => undefined)
        }
        data-testid={CHECKLIST_TEST_IDS.save}
      >
        {isSaved ? t('checklists:replaceSignature') : t('checklists:saveSignature')}
      </Button>
    </Group>
  );
}
