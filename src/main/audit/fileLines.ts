/**
 * A text file's lines, read a chunk at a time: exactly what
 * `readFileSync(file, 'utf8').split('\n')` gives, without ever holding the
 * whole file as one string. A 100,000-event audit bundle is ~175 MB; reading
 * it into one string (fresh memory, then a second copy decoded) cost more
 * CPU on this machine than verifying it.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1 << 20;

/**
 * Each line of `file` as UTF-8 text, split on '\n' like String#split (so a
 * trailing newline gives a last empty line, and '\r' stays on its line).
 * Lines are decoded between newline bytes, which never occur inside a UTF-8
 * sequence, so a chunk boundary cannot change the text.
 */
export function* fileLines(
  file: string,
  chunkBytes = CHUNK_BYTES,
): Generator<string, void, undefined> {
  const fd = openSync(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let held = 0; // bytes in buffer not yet yielded (the start of an unfinished line)
    for (;;) {
      if (held === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, held, buffer.length - held, null);
      if (read === 0) break;
      const end = held + read;
      const lastNewline = buffer.lastIndexOf(NEWLINE, end - 1);
      if (lastNewline < held) {
        held = end;
        continue;
      }
      // One string per chunk, split: the lines are slices of it, so a
      // verifier that keeps many lines keeps a few big strings rather than
      // ~200,000 small ones for the garbage collector to copy and trace.
      const start = lastNewline + 1;
      yield* buffer.toString('utf8', 0, lastNewline).split('\n');
      buffer.copy(buffer, 0, start, end);
      held = end - start;
    }
    yield buffer.toString('utf8', 0, held);
  } finally {
    closeSync(fd);
  }
}
