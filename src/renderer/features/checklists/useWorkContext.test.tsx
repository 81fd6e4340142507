import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { Link, MemoryRouter, Route, Routes } from 'react-router';
import { resetAppStore } from '../../state/store.ts';
import { useWorkContext } from './useWorkContext.ts';

afterEach(() => {
  cleanup();
  resetAppStore();
});

/** Stands in for a screen with store and release pickers, and the app's navigation (links without a query). */
function Screen(props: { name: string }) {
  const context = useWorkContext();
  return (
    <div>
      <p data-testid="where">
        {props.name}: {context.storeId ?? 'no store'} / {context.releaseId ?? 'no release'}
      </p>
      <button onClick={() => context.setStoreId('st-lyo-01')}>pick store</button>
      <button onClick={() => context.setReleaseId('rel-4.2.1')}>pick release</button>
      <Link to="/checklists">Checklists</Link>
      <Link to="/decisions">Go / no-go</Link>
      <Link to="/change-requests">Change requests</Link>
    </div>
  );
}

function renderApp(start: string) {
  render(
    <MemoryRouter initialEntries={[start]}>
      <Routes>
        <Route path="/checklists" element={<Screen name="checklists" />} />
        <Route path="/decisions" element={<Screen name="decisions" />} />
        <Route path="/change-requests" element={<Screen name="change requests" />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('the store and release being worked on', () => {
  it('are kept when moving between Checklists, Go / no-go and Change requests', () => {
    renderApp('/checklists');
    fireEvent.click(screen.getByText('pick store'));
    fireEvent.click(screen.getByText('pick release'));
    fireEvent.click(screen.getByText('Go / no-go'));
    expect(screen.getByTestId('where').textContent).toBe('decisions: st-lyo-01 / rel-4.2.1');
    fireEvent.click(screen.getByText('Change requests'));
    expect(screen.getByTestId('where').textContent).toBe('change requests: st-lyo-01 / rel-4.2.1');
    fireEvent.click(screen.getByText('Checklists'));
    expect(screen.getByTestId('where').textContent).toBe('checklists: st-lyo-01 / rel-4.2.1');
  });

  it('a link naming a store makes it the current one on the other screens too', () => {
    renderApp('/decisions?store=st-par-01&release=rel-4.3.0');
    expect(screen.getByTestId('where').textContent).toBe('decisions: st-par-01 / rel-4.3.0');
    act(() => {
      fireEvent.click(screen.getByText('Checklists'));
    });
    expect(screen.getByTestId('where').textContent).toBe('checklists: st-par-01 / rel-4.3.0');
  });
});
