import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/random.ts';
import { SHA256_SMALL_MAX_BYTES, sha256Small } from './sha256.ts';

const SEED = 20_261_124;

describe('sha256Small', () => {
  it('gives the FIPS 180-4 answers for "" and "abc"', () => {
    expect(sha256Small(new Uint8Array(0)).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256Small(Buffer.from('abc')).toString('hex')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it(`equals node:crypto for every length 0..${SHA256_SMALL_MAX_BYTES} on random bytes (seed ${SEED})`, () => {
    const random = seededRandom(SEED);
    for (let round = 0; round < 20; round++) {
      for (let n = 0; n <= SHA256_SMALL_MAX_BYTES; n++) {
        const input = Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
        expect(sha256Small(input).toString('hex'), `length ${n}, round ${round}`).toBe(
          hash('sha256', input, 'hex'),
        );
      }
    }
  });

  it('returns a fresh buffer each time (results are kept, the scratch space is reused)', () => {
    const first = sha256Small(Buffer.from('one'));
    const second = sha256Small(Buffer.from('two'));
    expect(first.toString('hex')).toBe(hash('sha256', 'one', 'hex'));
    expect(second.toString('hex')).toBe(hash('sha256', 'two', 'hex'));
  });

  it('refuses an input longer than two blocks can pad', () => {
    expect(() => sha256Small(new Uint8Array(SHA256_SMALL_MAX_BYTES + 1))).toThrow(RangeError);
  });
});
