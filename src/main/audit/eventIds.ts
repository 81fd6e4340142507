/**
 * UUIDv7 ids for journal events, laid out exactly as the `uuid` package's v7
 * (48-bit ms time, 32-bit monotonic counter seeded randomly each ms, random
 * tail), but drawing randomness from a pooled buffer: `uuid` asks the OS for
 * 16 bytes per id, which was the largest single cost of a 100,000-event append.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const POOL_SIZE = 16 * 512;
const pool = new Uint8Array(POOL_SIZE);
let poolAt = POOL_SIZE;
let lastMs = -Infinity;
let counter = 0;

export function eventIdV7(now: number = Date.now()): string {
  if (poolAt + 16 > POOL_SIZE) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const r = poolAt;
  poolAt += 16;
  const p = pool;
  // Ids stay ordered within a millisecond (and across a clock that steps back).
  if (now > lastMs) {
    counter = (p[r + 6]! << 23) | (p[r + 7]! << 16) | (p[r + 8]! << 8) | p[r + 9]!;
    lastMs = now;
  } else {
    counter = (counter + 1) | 0;
    if (counter === 0) lastMs++;
  }
  const ms = lastMs;
  const seq = counter;
  return (
    HEX[(ms / 0x10000000000) & 0xff]! +
    HEX[(ms / 0x100000000) & 0xff]! +
    HEX[(ms / 0x1000000) & 0xff]! +
    HEX[(ms / 0x10000) & 0xff]! +
    '-' +
    HEX[(ms / 0x100) & 0xff]! +
    HEX[ms & 0xff]! +
    '-' +
    HEX[0x70 | ((seq >>> 28) & 0x0f)]! +
    HEX[(seq >>> 20) & 0xff]! +
    '-' +
    HEX[0x80 | ((seq >>> 14) & 0x3f)]! +
    HEX[(seq >>> 6) & 0xff]! +
    '-' +
    HEX[((seq << 2) & 0xff) | (p[r + 10]! & 0x03)]! +
    HEX[p[r + 11]!]! +
    HEX[p[r + 12]!]! +
    HEX[p[r + 13]!]! +
    HEX[p[r + 14]!]! +
    HEX[p[r + 15]!]!
  );
}
