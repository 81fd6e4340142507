/**
 * Saving an export needs the desktop's save dialog, so only the Electron
 * adapter can hand createApp a file saver; browser mode and tests without one
 * answer `unavailable`, and the renderer downloads the file instead.
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { SavedExport } from '../../shared/contract/exports.ts';
import { AppError } from '../../shared/errors.ts';
import type { FeatureHandlers } from '../app/dispatcher.ts';

/** The desktop's part: the save dialog. Resolves to the chosen path, or null if the user cancelled. */
export type SaveDialog = { askSavePath(fileName: string): Promise<string | null> };

export function createExportsHandlers(
  dialog: SaveDialog | null | undefined,
): FeatureHandlers<'exports'> {
  return {
    async 'exports:save'(input): Promise<SavedExport> {
      if (!dialog) {
        throw new AppError(
          'unavailable',
          'Saving through a dialog needs the desktop app; here the browser downloads the file.',
        );
      }
      const chosen = await dialog.askSavePath(input.fileName);
      if (!chosen) return { isSaved: false, path: null };
      // Some platforms' dialogs drop the extension; the file and the answer name the same path.
      const wanted = extname(input.fileName);
      const path = extname(chosen).toLowerCase() === wanted ? chosen : `${chosen}${wanted}`;
      await writeFile(path, input.content, 'utf8');
      return { isSaved: true, path };
    },
  };
}
