import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, screen } from '@testing-library/react';
import { renderWithMantine } from '../testing/renderWithMantine.tsx';
import { LoadingRows } from './QueryState.tsx';

afterEach(cleanup);

describe('LoadingRows', () => {
  it('is a busy status region named Loading, with the rows asked for', () => {
    renderWithMantine(<LoadingRows rows={3} />);
    // axe's aria-prohibited-attr: a name is allowed on a status region, not on a plain div.
    const region = screen.getByRole('status', { name: 'Loading' });
    expect(region.getAttribute('aria-busy')).toBe('true');
    expect(region.children).toHaveLength(3);
  });
});
