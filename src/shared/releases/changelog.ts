/**
 * The changelog generated from the releases' notes, in Keep a Changelog form
 * (https://keepachangelog.com/en/1.1.0/): newest release first, one
 * `## [version] - date` section each, the notes' own `### Added` / `### Fixed`…
 * sections kept, and notes without them filed under `### Changed`. A release
 * not yet out (no actual date) is listed as planned with its planned date.
 */
import { rcompare, valid } from 'semver';
import type { Release } from './types.ts';

const KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'] as const;

/** Headings in notes are demoted below the release's own `##` heading. */
function demote(markdown: string): string {
  return markdown.replace(/^(#{1,3})(?=\s)/gm, '###');
}

function hasKindSections(markdown: string): boolean {
  return KINDS.some((kind) => new RegExp(`^#{1,3}\\s+${kind}\\s*$`, 'm').test(markdown));
}

export function changelogMarkdown(
  releases: ReadonlyArray<
    Pick<Release, 'version' | 'title' | 'notesMarkdown' | 'actualAt' | 'plannedAt'>
  >,
  options: { title?: string } = {},
): string {
  const sorted = [...releases].sort((a, b) =>
    valid(a.version) && valid(b.version)
      ? rcompare(a.version, b.version)
      : b.version.localeCompare(a.version),
  );
  const parts = [
    `# ${options.title ?? 'Changelog'}`,
    '',
    'All notable changes to DearPOS, generated from the release notes. The format follows [Keep a Changelog](https://keepachangelog.com/en/1.1.0/) and versions follow [Semantic Versioning](https://semver.org/).',
  ];
  for (const release of sorted) {
    const date = (release.actualAt ?? release.plannedAt ?? '').slice(0, 10);
    const heading = release.actualAt
      ? `## [${release.version}] - ${date}`
      : `## [${release.version}] - planned${date ? ` ${date}` : ''}`;
    const notes = release.notesMarkdown.trim();
    parts.push('', heading, '', `_${release.title}_`);
    if (notes === '') continue;
    parts.push('', hasKindSections(notes) ? demote(notes) : `### Changed\n\n${demote(notes)}`);
  }
  return `${parts.join('\n')}\n`;
}
