/**
 * Release notes come from the catalog, so they are untrusted text. They are
 * rendered as Markdown only: raw HTML in them is dropped (no
 * rehype-raw, ever; skipHtml drops it), images are not fetched, and links open nothing inside
 * the console — the target is shown, not followed.
 */
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { Blockquote, Code, List, Table, Text, Title, Typography } from '@mantine/core';
import { t } from '../../i18n/index.ts';

const COMPONENTS: Components = {
  a: ({ href, children }) => (
    <Text
      component="span"
      td="underline"
      c="blue.8"
      title={href ? t('releases:linkHint', { href }) : undefined}
      inherit
    >
      {children}
    </Text>
  ),
  img: ({ alt }) => (
    <Text component="span" c="dimmed" inherit>
      [{alt || 'image'}]
    </Text>
  ),
  h1: ({ children }) => <Title order={4}>{children}</Title>,
  h2: ({ children }) => <Title order={5}>{children}</Title>,
  h3: ({ children }) => <Title order={6}>{children}</Title>,
  ul: ({ children }) => (
    <List size="sm" spacing={2} withPadding>
      {children}
    </List>
  ),
  ol: ({ children }) => (
    <List type="ordered" size="sm" spacing={2} withPadding>
      {children}
    </List>
  ),
  li: ({ children }) => <List.Item>{children}</List.Item>,
  blockquote: ({ children }) => <Blockquote p="xs">{children}</Blockquote>,
  code: ({ children }) => <Code>{children}</Code>,
  table: ({ children }) => (
    <Table withTableBorder withColumnBorders fz="sm" my="xs">
      {children}
    </Table>
  ),
  thead: ({ children }) => <Table.Thead>{children}</Table.Thead>,
  tbody: ({ children }) => <Table.Tbody>{children}</Table.Tbody>,
  tr: ({ children }) => <Table.Tr>{children}</Table.Tr>,
  th: ({ children }) => <Table.Th>{children}</Table.Th>,
  td: ({ children }) => <Table.Td>{children}</Table.Td>,
};

// GitHub-flavoured Markdown (tables, task lists, strikethrough): release notes use them.
const REMARK_PLUGINS = [remarkGfm];

export function SafeMarkdown(props: { markdown: string; testId?: string }) {
  return (
    <Typography fz="sm" data-testid={props.testId}>
      <Markdown components={COMPONENTS} remarkPlugins={REMARK_PLUGINS} skipHtml>
        {props.markdown}
      </Markdown>
    </Typography>
  );
}
