import { describe, expect, it } from 'vitest';
import { changelogMarkdown } from './changelog.ts';

const base = { title: 'T', plannedAt: null, actualAt: null, notesMarkdown: '' };

describe('the generated changelog', () => {
  it('lists releases newest first in Keep a Changelog form, keeping the notes’ own sections', () => {
    const text = changelogMarkdown([
      {
        ...base,
        version: '4.4.0',
        title: 'Spring',
        actualAt: '2026-03-01T08:00:00Z',
        notesMarkdown: '# Fixed\n\n- Receipts print the VAT line',
      },
      {
        ...base,
        version: '4.10.0',
        title: 'Autumn',
        plannedAt: '2026-10-01T00:00:00Z',
        notesMarkdown: 'Faster start-up.',
      },
      { ...base, version: '4.5.0', title: 'Summer', actualAt: '2026-06-01T00:00:00Z' },
    ]);
    const headings = text.split('\n').filter((l) => l.startsWith('## '));
    // Semantic order, not text order: 4.10.0 is newer than 4.5.0.
    expect(headings).toEqual([
      '## [4.10.0] - planned 2026-10-01',
      '## [4.5.0] - 2026-06-01',
      '## [4.4.0] - 2026-03-01',
    ]);
    expect(text).toContain('### Changed\n\nFaster start-up.');
    // A note's own top-level heading is demoted below its release.
    expect(text).toContain('### Fixed\n\n- Receipts print the VAT line');
    expect(text).not.toMatch(/^# Fixed/m);
    expect(text.startsWith('# Changelog\n')).toBe(true);
  });
});
