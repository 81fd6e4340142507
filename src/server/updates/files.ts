/**
 * An installer file as the update manifest lists it: its name without the
 * folder, its size and its SHA-512 (base64, as electron-builder writes it),
 * read as a stream so a 200 MB installer is never held in memory.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { ServerError } from '../errors.ts';
import type { UpdateFile } from '../../shared/updates/manifest.ts';

export async function describeUpdateFile(path: string): Promise<UpdateFile> {
  const hash = createHash('sha512');
  let size = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      hash.update(bytes);
    }
  } catch {
    throw new ServerError('invalid_input', `Cannot read ${path}.`);
  }
  return { name: basename(path), size, sha512: hash.digest('base64') };
}
