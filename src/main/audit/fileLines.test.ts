import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines } from './fileLines.ts';

const root = mkdtempSync(join(tmpdir(), 'dearpos-file-lines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function fileWith(bytes: Uint8Array): string {
  const file = join(root, `lines-${counter++}.txt`);
  writeFileSync(file, bytes);
  return file;
}

describe('fileLines', () => {
  it('gives exactly readFileSync(file, "utf8").split("\\n") for any bytes and any chunk size', () => {
    // Newlines, CR, multi-byte UTF-8 (2, 3 and 4 bytes) and bytes that are not UTF-8 at all.
    const piece = fc.oneof(
      fc.constantFrom('\n', '\r\n', '\n\n', 'é', '€', '𝄞', '{"kind":"event"}', 'x'),
      fc.string({ maxLength: 8 }),
      fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        (pieces, chunkBytes) => {
          // A piece marked raw is written as its latin1 bytes, so it may be invalid UTF-8.
          const bytes = Buffer.concat(
            pieces.map(([text, isRaw]) => Buffer.from(text, isRaw ? 'latin1' : 'utf8')),
          );
          const file = fileWith(bytes);
          expect([...fileLines(file, chunkBytes)]).toEqual(readFileSync(file, 'utf8').split('\n'));
        },
      ),
      { numRuns: 400, seed: 5 },
    );
  });

  it('reads an empty file as one empty line, and a line far longer than the chunk whole', () => {
    expect([...fileLines(fileWith(new Uint8Array(0)))]).toEqual(['']);
    const long = 'a'.repeat(100_000) + '€';
    expect([...fileLines(fileWith(Buffer.from(`${long}\nb\n`)), 64)]).toEqual([long, 'b', '']);
  });
});
