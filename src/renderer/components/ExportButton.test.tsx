import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithApi } from '../testing/renderWithApi.tsx';
import { EXPORT_TEST_IDS, ExportButton } from './ExportButton.tsx';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Row = { id: number };
/** ExportButton reads 500 rows a call. */
const PAGE = 500;
const COLUMNS = [{ header: 'ID', value: (row: Row) => row.id }];

/** Browser mode's download: the Blob handed to the browser, read back as text. */
function captureDownloads(): Blob[] {
  const blobs: Blob[] = [];
  vi.stubGlobal('URL', {
    ...URL,
    createObjectURL: (blob: Blob) => {
      blobs.push(blob);
      return 'blob:export';
    },
    revokeObjectURL: () => undefined,
  });
  return blobs;
}

/** jsdom's Blob has no text(); FileReader reads it. */
function textOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsText(blob);
  });
}

describe('ExportButton', () => {
  it('reads the view page by page, shows its progress above 10,000 rows, and downloads every row in browser mode', async () => {
    const blobs = captureDownloads();
    const total = 12_000;
    // The first page waits until the test has seen the progress; the others answer at once.
    let releaseFirst: () => void = () => undefined;
    const firstAnswered = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const loadPage = async (offset: number, limit: number) => {
      if (offset === PAGE) await firstAnswered;
      return Array.from({ length: limit }, (_, i) => ({ id: offset + i }));
    };
    renderWithApi(
      <ExportButton what="big view" columns={COLUMNS} total={total} loadPage={loadPage} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Export big view' }));
    fireEvent.click(await screen.findByTestId(EXPORT_TEST_IDS.csv));
    const progress = await screen.findByTestId(EXPORT_TEST_IDS.progress);
    await waitFor(() => expect(progress.textContent).toMatch(/500 of 12,000 rows/));
    releaseFirst();
    await waitFor(() => expect(blobs).toHaveLength(1));
    const lines = (await textOf(blobs[0]!))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(total + 1);
    expect(lines[0]).toBe('ID');
    expect(lines.at(-1)).toBe(String(total - 1));
    await waitFor(() => expect(screen.queryByTestId(EXPORT_TEST_IDS.progress)).toBeNull());
  }, 20_000);

  it('shows no progress bar for a small view', async () => {
    const blobs = captureDownloads();
    const rows = [{ id: 1 }, { id: 2 }];
    renderWithApi(
      <ExportButton
        what="small view"
        columns={COLUMNS}
        total={rows.length}
        loadPage={(offset, limit) => Promise.resolve(rows.slice(offset, offset + limit))}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Export small view' }));
    fireEvent.click(await screen.findByTestId(EXPORT_TEST_IDS.json));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(JSON.parse(await textOf(blobs[0]!))).toEqual([{ ID: 1 }, { ID: 2 }]);
    expect(screen.queryByTestId(EXPORT_TEST_IDS.progress)).toBeNull();
  });
});
