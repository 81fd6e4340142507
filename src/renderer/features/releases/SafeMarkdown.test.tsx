import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '@testing-library/react';
import { renderWithMantine } from '../../testing/renderWithMantine.tsx';
import { SafeMarkdown } from './SafeMarkdown.tsx';

afterEach(cleanup);

describe('SafeMarkdown (release notes are untrusted)', () => {
  it('renders Markdown structure', () => {
    const { container } = renderWithMantine(
      <SafeMarkdown markdown={'## Fixes\n\n- **Refunds** no longer double-print\n- Faster EOD'} />,
    );
    // A note's `##` sits below the screen's h1 and the release's h2.
    expect(container.querySelector('h3')?.textContent).toBe('Fixes');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('strong')?.textContent).toBe('Refunds');
  });

  it('never creates script, iframe, image or event-handler elements from notes', () => {
    const hostile = [
      '<script>window.__pwned = 1</script>',
      '<img src=x onerror="window.__pwned = 2">',
      '<iframe src="https://evil.example"></iframe>',
      '<div onclick="window.__pwned = 3">click</div>',
      '![tracker](https://evil.example/pixel.png)',
    ].join('\n\n');
    const { container } = renderWithMantine(<SafeMarkdown markdown={hostile} />);
    expect(container.querySelector('script, img, iframe, [onerror], [onclick]')).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('drops raw HTML from notes altogether: a script tag is neither run nor shown as text', () => {
    const { container } = renderWithMantine(
      <SafeMarkdown
        markdown={
          'Do not install it.\n\n<script>alert(\'never\')</script>\n\n<img src="x" onerror="alert(\'nor\')">\n\nReport a pop-up.'
        }
      />,
    );
    expect(container.textContent).toContain('Do not install it.');
    expect(container.textContent).toContain('Report a pop-up.');
    expect(container.textContent).not.toContain('<script');
    expect(container.textContent).not.toContain('alert(');
  });

  it('shows links as text without an href, so nothing opens inside the console', () => {
    const { container } = renderWithMantine(
      <SafeMarkdown
        markdown={'See [the guide](https://docs.example/guide) and [this](javascript:alert(1)).'}
      />,
    );
    expect(container.querySelector('a')).toBeNull();
    expect(container.querySelector('[href]')).toBeNull();
    expect(container.textContent).toContain('the guide');
  });
});
