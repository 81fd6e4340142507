import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderWithMantine } from '../testing/renderWithMantine.tsx';
import { PhotoEvidenceInput, type PreparedPhoto } from './PhotoEvidenceInput.tsx';

afterEach(cleanup);

async function pick(file: File) {
  fireEvent.change(screen.getByTestId<HTMLInputElement>('photo'), { target: { files: [file] } });
  await waitFor(() => expect(screen.getByTestId('photo-error')).toBeTruthy());
}

describe('PhotoEvidenceInput', () => {
  it('offers the camera where there is one and accepts only pictures', () => {
    renderWithMantine(
      <PhotoEvidenceInput label="Photo" onPhoto={() => undefined} testId="photo" />,
    );
    const input = screen.getByTestId<HTMLInputElement>('photo');
    expect(input.getAttribute('accept')).toBe('image/*');
    expect(input.getAttribute('capture')).toBe('environment');
  });

  it.each([
    {
      name: 'a PDF',
      file: new File(['%PDF-1.7'], 'receipt.pdf', { type: 'application/pdf' }),
      message: /not a picture/,
    },
    {
      name: 'a text file',
      file: new File(['hello'], 'notes.txt', { type: 'text/plain' }),
      message: /not a picture/,
    },
    {
      name: 'a picture above 40 MB',
      file: Object.defineProperty(new File(['x'], 'huge.jpg', { type: 'image/jpeg' }), 'size', {
        value: 41 * 1024 * 1024,
      }),
      message: /too large/,
    },
  ])('refuses $name with a message and sends nothing', async ({ file, message }) => {
    const sent: PreparedPhoto[] = [];
    renderWithMantine(
      <PhotoEvidenceInput label="Photo" onPhoto={(p) => void sent.push(p)} testId="photo" />,
    );
    await pick(file);
    expect(screen.getByTestId('photo-error').textContent).toMatch(message);
    expect(sent).toEqual([]);
    expect(screen.queryByTestId('photo-preview')).toBeNull();
  });
});
