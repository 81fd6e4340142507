/**
 * The feature request form: title, description, category and (on a console
 * with several stores) the store. While the title is typed, the requests
 * this console knows (its store's own and the chain's, as last fetched, so
 * offline too) that say the same are suggested, each with "Vote instead":
 * requests are counted by stores, so a vote is worth more than a duplicate.
 * Filing and voting are records like any other: offline they wait in the
 * sync queue.
 */
import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBulb, IconCircleCheck, IconThumbUp } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { featureRequestInput } from '#shared/contract/feedback.ts';
import { FEATURE_REQUEST_CATEGORIES, type RequestSuggestion } from '#shared/feedback/types.ts';
import { useApi } from '../../api/ApiContext.tsx';
import { FORM_ERROR, validateWith } from '../../components/forms/validateWith.ts';
import { useStores } from '../checklists/queries.ts';
import { useAppStore } from '../../state/store.ts';
import { FEEDBACK_TEST_IDS } from './testIds.ts';
import { t } from '../../i18n/index.ts';

/** Long enough that a suggestion search runs once a word is typed, not at every key. */
const SUGGEST_DEBOUNCE_MS = 250;

type Values = {
  title: string;
  description: string;
  category: string | null;
  storeId: string | null;
};

type Outcome = { kind: 'filed' } | { kind: 'voted'; title: string; isNewVote: boolean };

export function FeatureRequestModal(props: { onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const workStoreId = useAppStore((s) => s.workStoreId);
  const stores = useStores();
  // One store on this console (an enrolled store console): it is the store.
  const onlyStore = stores.data?.length === 1 ? stores.data[0]!.id : null;
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { title: '', description: '', category: null, storeId: workStoreId },
    validate: validateWith(featureRequestInput, (values) => inputOf(values, onlyStore)),
  });
  const storeId = form.getValues().storeId ?? onlyStore;
  const [typed] = useDebouncedValue(form.getValues().title.trim(), SUGGEST_DEBOUNCE_MS);
  const suggestions = useQuery({
    queryKey: ['feedback', 'suggestRequests', typed],
    queryFn: () => api['feedback:suggestRequests']({ text: typed }),
    enabled: typed.length >= 2,
  });
  const done = (outcome: Outcome) => {
    void queryClient.invalidateQueries({ queryKey: ['feedback'] });
    return outcome;
  };
  const file = useMutation({
    mutationFn: async (values: Values) => {
      await api['feedback:fileFeatureRequest'](inputOf(values, onlyStore));
      return done({ kind: 'filed' });
    },
  });
  const vote = useMutation({
    mutationFn: async (request: RequestSuggestion) => {
      const out = await api['feedback:voteFeatureRequest']({
        requestId: request.id,
        ...(storeId !== null ? { storeId } : {}),
      });
      return done({ kind: 'voted', title: request.title, isNewVote: out.isNewVote });
    },
  });
  const outcome = file.data ?? vote.data;
  const problem = form.errors[FORM_ERROR] ?? file.error?.message ?? vote.error?.message;

  return (
    <Modal
      opened
      onClose={props.onClose}
      title={
        outcome?.kind === 'filed'
          ? t('feedback:request.filed')
          : outcome?.kind === 'voted'
            ? t('feedback:request.voted')
            : t('feedback:request.title')
      }
      size={880}
      closeButtonProps={{ 'aria-label': t('feedback:request.cancel') }}
      data-testid={FEEDBACK_TEST_IDS.requestForm}
    >
      {outcome ? (
        <Stack gap="sm" data-testid={FEEDBACK_TEST_IDS.requestDone} data-outcome={outcome.kind}>
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />}>
            {outcome.kind === 'filed'
              ? t('feedback:request.filedBody')
              : outcome.isNewVote
                ? t('feedback:request.votedBody', { title: outcome.title })
                : t('feedback:request.alreadyVoted', { title: outcome.title })}
          </Alert>
          <Group justify="flex-end">
            <Button onClick={props.onClose}>{t('feedback:request.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form noValidate onSubmit={form.onSubmit((values) => file.mutate(values))}>
          <Text size="sm" c="dimmed" mb="sm">
            {t('feedback:request.explain')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Stack gap="sm">
              <TextInput
                label={t('feedback:request.titleLabel')}
                placeholder={t('feedback:request.titlePlaceholder')}
                maxLength={200}
                withAsterisk
                data-autofocus
                data-testid={FEEDBACK_TEST_IDS.requestTitle}
                key={form.key('title')}
                {...form.getInputProps('title')}
              />
              <Textarea
                label={t('feedback:request.description')}
                placeholder={t('feedback:request.descriptionPlaceholder')}
                maxLength={4000}
                autosize
                minRows={3}
                data-testid={FEEDBACK_TEST_IDS.requestDescription}
                key={form.key('description')}
                {...form.getInputProps('description')}
              />
              <Group grow align="flex-start">
                <Select
                  label={t('feedback:request.category')}
                  placeholder={t('feedback:request.categoryPlaceholder')}
                  data={FEATURE_REQUEST_CATEGORIES.map((c) => ({
                    value: c,
                    label: t(`feedback:request.categories.${c}`),
                  }))}
                  withAsterisk
                  data-testid={FEEDBACK_TEST_IDS.requestCategory}
                  key={form.key('category')}
                  {...form.getInputProps('category')}
                />
                {onlyStore === null && (
                  <Select
                    label={t('feedback:request.store')}
                    placeholder={t('feedback:request.storePlaceholder')}
                    data={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                    searchable
                    data-testid={FEEDBACK_TEST_IDS.requestStore}
                    key={form.key('storeId')}
                    {...form.getInputProps('storeId')}
                  />
                )}
              </Group>
            </Stack>
            <Suggestions
              typed={typed}
              suggestions={suggestions.data}
              isVoting={vote.isPending}
              onVote={(s) => vote.mutate(s)}
            />
          </SimpleGrid>
          {problem && (
            <Alert color="red" variant="light" mt="sm">
              {problem}
            </Alert>
          )}
          <Group justify="flex-end" mt="md">
            <Button variant="default" onClick={props.onClose}>
              {t('feedback:request.cancel')}
            </Button>
            <Button
              type="submit"
              leftSection={<IconBulb size={14} />}
              loading={file.isPending}
              data-testid={FEEDBACK_TEST_IDS.requestSubmit}
            >
              {t('feedback:request.submit')}
            </Button>
          </Group>
        </form>
      )}
    </Modal>
  );
}

/** The exact call input the form's values make (the contract's schema judges it). */
function inputOf(values: Values, onlyStore: string | null) {
  const storeId = values.storeId ?? onlyStore;
  return {
    title: values.title.trim(),
    description: values.description.trim(),
    category: (values.category ?? '') as (typeof FEATURE_REQUEST_CATEGORIES)[number],
    ...(storeId !== null ? { storeId } : {}),
  };
}

function Suggestions(props: {
  typed: string;
  suggestions: RequestSuggestion[] | undefined;
  isVoting: boolean;
  onVote: (suggestion: RequestSuggestion) => void;
}) {
  const list = props.typed.length >= 2 ? (props.suggestions ?? []) : [];
  return (
    <Stack gap="xs" aria-live="polite" data-testid={FEEDBACK_TEST_IDS.requestSuggestions}>
      <Text size="sm" fw={600}>
        {t('feedback:request.similar')}
      </Text>
      <Text size="xs" c="dimmed">
        {props.typed.length < 2
          ? t('feedback:request.typeToSearch')
          : list.length === 0
            ? t('feedback:request.noSimilar')
            : t('feedback:request.similarHint')}
      </Text>
      {list.map((s) => (
        <Paper
          key={s.id}
          withBorder
          p="xs"
          data-testid={FEEDBACK_TEST_IDS.requestSuggestion}
          data-request-id={s.id}
        >
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                {s.title}
              </Text>
              <Group gap={6}>
                <Badge variant="light" color="gray" size="sm">
                  {t(`feedback:ours.status.${s.status}`)}
                </Badge>
                <Text size="xs" c="dimmed">
                  {t('feedback:request.votes', { count: s.votes })}
                </Text>
              </Group>
            </Stack>
            {s.hasOurVote ? (
              <Badge
                variant="light"
                color="teal"
                leftSection={<IconThumbUp size={12} />}
                style={{ flexShrink: 0 }}
              >
                {t('feedback:request.hasOurVote')}
              </Badge>
            ) : (
              <Button
                size="xs"
                variant="light"
                leftSection={<IconThumbUp size={14} />}
                loading={props.isVoting}
                aria-label={t('feedback:request.voteFor', { title: s.title })}
                onClick={() => props.onVote(s)}
                style={{ flexShrink: 0 }}
                data-testid={FEEDBACK_TEST_IDS.requestVote}
              >
                {t('feedback:request.voteInstead')}
              </Button>
            )}
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
