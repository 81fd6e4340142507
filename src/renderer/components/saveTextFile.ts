/**
 * Saving a text file the console made (an export, the journal, the
 * changelog): through the desktop's save dialog (`exports:save`), or in
 * browser mode as a download. One place, so every export behaves the same.
 */
import { notifications } from '@mantine/notifications';
import { useApi, useTransportKind } from '../api/ApiContext.tsx';
import { t } from '../i18n/index.ts';

export type TextFile = { fileName: string; content: string; mimeType: string };

/** Browser mode: hands the file to the browser's downloads. */
function download(file: TextFile): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useSaveTextFile(): (file: TextFile) => Promise<void> {
  const api = useApi();
  const kind = useTransportKind();
  return async (file) => {
    if (kind !== 'electron') {
      download(file);
      return;
    }
    const saved = await api['exports:save']({ fileName: file.fileName, content: file.content });
    if (saved.isSaved && saved.path)
      notifications.show({
        color: 'teal',
        message: t('components:exportSaved', { path: saved.path }),
      });
  };
}
