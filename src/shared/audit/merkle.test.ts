import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from './hex.ts';
import {
  completeSubtrees,
  consistencyPath,
  consistencyRanges,
  emptyRoot,
  inclusionPath,
  inclusionRanges,
  leafHash,
  nodeHash,
  pathFromRanges,
  rootOfLeafHashes,
  verifyConsistency,
  verifyConsistencyHex,
  verifyInclusion,
  verifyInclusionHex,
  type Sha256,
} from './merkle.ts';
import { seededRandom } from '../random.ts';

// ---------------------------------------------------------------- an independent reference, written from RFC 9162's text

const H = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const nodeSha: Sha256 = (d) => H(d);
const refLeaf = (d: Uint8Array) => H(Uint8Array.of(0), d);
const refNode = (l: Uint8Array, r: Uint8Array) => H(Uint8Array.of(1), l, r);
const largestPow2Below = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);

// MTH of a run of leaves, remembered by its first leaf (each a distinct array)
// and its length: the proofs below ask for the same subtrees thousands of times,
// and recomputing them was most of this file's CPU. The values are the
// recursion's own, computed once.
const mthOfRun = new Map<Uint8Array, Map<number, Uint8Array>>();
function refMth(d: Uint8Array[]): Uint8Array {
  if (d.length === 0) return H();
  const byLength = mthOfRun.get(d[0]!) ?? new Map<number, Uint8Array>();
  mthOfRun.set(d[0]!, byLength);
  let mth = byLength.get(d.length);
  if (!mth) {
    const k = largestPow2Below(d.length);
    mth = d.length === 1 ? refLeaf(d[0]!) : refNode(refMth(d.slice(0, k)), refMth(d.slice(k)));
    byLength.set(d.length, mth);
  }
  return mth;
}
function refPath(m: number, d: Uint8Array[]): Uint8Array[] {
  if (d.length <= 1) return [];
  const k = largestPow2Below(d.length);
  return m < k
    ? [...refPath(m, d.slice(0, k)), refMth(d.slice(k))]
    : [...refPath(m - k, d.slice(k)), refMth(d.slice(0, k))];
}
function refSubproof(m: number, d: Uint8Array[], b: boolean): Uint8Array[] {
  if (m === d.length) return b ? [] : [refMth(d)];
  const k = largestPow2Below(d.length);
  return m <= k
    ? [...refSubproof(m, d.slice(0, k), b), refMth(d.slice(k))]
    : [...refSubproof(m - k, d.slice(k), false), refMth(d.slice(0, k))];
}

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
// The RFC 6962 reference leaves used by Certificate Transparency's own test suites.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(hex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const MAX = 64;
const data = Array.from({ length: MAX }, (_, i) => H(Buffer.from(`event ${i}`)));
const leaves = data.map((d) => leafHash(d));
const roots = Array.from({ length: MAX + 1 }, (_, n) => refMth(data.slice(0, n)));

describe('RFC 9162 hashing', () => {
  it('the empty tree hashes to SHA-256 of the empty string', () => {
    expect(bytesToHex(emptyRoot())).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(bytesToHex(rootOfLeafHashes([]))).toBe(bytesToHex(emptyRoot()));
  });

  it('leaf and node hashes use the 0x00 and 0x01 domain prefixes', () => {
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
    const a = data[0]!;
    const b = data[1]!;
    expect(bytesToHex(nodeHash(a, b))).toBe(bytesToHex(H(Uint8Array.of(1), a, b)));
    expect(bytesToHex(leafHash(a))).toBe(bytesToHex(H(Uint8Array.of(0), a)));
  });

  it('matches the Certificate Transparency reference roots for trees of 1 to 8 leaves', () => {
    for (let n = 1; n <= CT_LEAVES.length; n++) {
      const root = rootOfLeafHashes(CT_LEAVES.slice(0, n).map((d) => leafHash(d)));
      expect(bytesToHex(root), `size ${n}`).toBe(CT_ROOTS[n - 1]);
      expect(bytesToHex(refMth(CT_LEAVES.slice(0, n))), `reference size ${n}`).toBe(
        CT_ROOTS[n - 1],
      );
    }
  });

  it('gives the same roots as the reference for every size up to 64, with either SHA-256', () => {
    for (let n = 0; n <= MAX; n++) {
      expect(bytesToHex(rootOfLeafHashes(leaves.slice(0, n)))).toBe(bytesToHex(roots[n]!));
      expect(bytesToHex(rootOfLeafHashes(leaves.slice(0, n), nodeSha))).toBe(bytesToHex(roots[n]!));
    }
  });
});

describe('inclusion proofs', () => {
  it('equal the reference and verify for every index of every size up to 64', () => {
    const subtree = (ref: { level: number; index: number }) =>
      rootOfLeafHashes(leaves.slice(ref.index * 2 ** ref.level, (ref.index + 1) * 2 ** ref.level));
    for (let n = 1; n <= MAX; n++) {
      for (let m = 0; m < n; m++) {
        const expected = refPath(m, data.slice(0, n)).map(bytesToHex);
        expect(inclusionPath(leaves, m, n).map(bytesToHex), `PATH(${m}, ${n})`).toEqual(expected);
        expect(
          pathFromRanges(inclusionRanges(m, n), subtree).map(bytesToHex),
          `stored PATH(${m}, ${n})`,
        ).toEqual(expected);
        expect(
          verifyInclusion(m, n, leaves[m]!, refPath(m, data.slice(0, n)), roots[n]!),
          `verify(${m}, ${n})`,
        ).toBe(true);
      }
    }
  });

  it('verifies through the hex wire form and rejects malformed hex without throwing', () => {
    const proof = {
      index: 5,
      size: 13,
      leafHash: bytesToHex(leaves[5]!),
      path: inclusionPath(leaves, 5, 13).map(bytesToHex),
    };
    expect(verifyInclusionHex(proof, bytesToHex(roots[13]!))).toBe(true);
    expect(
      verifyInclusionHex(
        { ...proof, path: [...proof.path.slice(1), 'zz'] },
        bytesToHex(roots[13]!),
      ),
    ).toBe(false);
    expect(verifyInclusionHex(proof, 'ABC')).toBe(false);
  });
});

describe('consistency proofs', () => {
  it('equal the reference and verify for every pair of sizes up to 64', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m <= n; m++) {
        const expected = m === n ? [] : refSubproof(m, data.slice(0, n), true).map(bytesToHex);
        expect(consistencyPath(leaves, m, n).map(bytesToHex), `PROOF(${m}, ${n})`).toEqual(
          expected,
        );
        expect(
          verifyConsistency(m, n, roots[m]!, roots[n]!, consistencyPath(leaves, m, n)),
          `verify(${m}, ${n})`,
        ).toBe(true);
      }
    }
  });

  it('accepts the empty tree as a prefix of any tree, and only with an empty path', () => {
    expect(verifyConsistency(0, 10, roots[0]!, roots[10]!, [])).toBe(true);
    expect(verifyConsistency(0, 10, roots[1]!, roots[10]!, [])).toBe(false);
    expect(verifyConsistency(0, 10, roots[0]!, roots[10]!, [leaves[0]!])).toBe(false);
    const path = consistencyPath(leaves, 3, 10).map(bytesToHex);
    expect(
      verifyConsistencyHex(
        { first: 3, second: 10, path },
        bytesToHex(roots[3]!),
        bytesToHex(roots[10]!),
      ),
    ).toBe(true);
    expect(
      verifyConsistencyHex(
        { first: 3, second: 10, path: ['x', ...path] },
        bytesToHex(roots[3]!),
        bytesToHex(roots[10]!),
      ),
    ).toBe(false);
  });

  it('splits every proof range into complete aligned subtrees', () => {
    for (let n = 1; n <= MAX; n++) {
      for (let m = 1; m < n; m++) {
        for (const r of consistencyRanges(m, n)) {
          const parts = completeSubtrees(r);
          let at = r.start;
          for (const p of parts) {
            expect(p.index * 2 ** p.level).toBe(at);
            at += 2 ** p.level;
          }
          expect(at).toBe(r.end);
        }
      }
    }
  });
});

describe('mutations', () => {
  it('rejects 10,000 random one-bit or one-field mutations of proofs, sizes, indexes and roots', () => {
    const seed = Number(process.env.MERKLE_SEED ?? 0x5eed);
    const rnd = seededRandom(seed);
    const int = (n: number) => Math.floor(rnd() * n);
    const flipBit = (b: Uint8Array) => {
      const c = Uint8Array.from(b);
      const i = int(c.length * 8);
      c[i >> 3]! ^= 1 << (i & 7);
      return c;
    };
    const mutatePath = (path: Uint8Array[]): Uint8Array[] | null => {
      const p = path.slice();
      switch (int(4)) {
        case 0:
          if (p.length === 0) return null;
          {
            const i = int(p.length);
            p[i] = flipBit(p[i]!);
          }
          return p;
        case 1:
          if (p.length === 0) return null;
          p.splice(int(p.length), 1);
          return p;
        case 2:
          p.splice(int(p.length + 1), 0, data[int(MAX)]!);
          return p;
        default: {
          if (p.length < 2) return null;
          const i = int(p.length - 1);
          [p[i], p[i + 1]] = [p[i + 1]!, p[i]!];
          return p;
        }
      }
    };
    let checked = 0;
    while (checked < 10_000) {
      const n = 1 + int(MAX);
      if (rnd() < 0.5) {
        const m = int(n);
        const path = inclusionPath(leaves, m, n);
        let ok: boolean;
        switch (int(5)) {
          case 0: {
            const p = mutatePath(path);
            if (!p) continue;
            ok = verifyInclusion(m, n, leaves[m]!, p, roots[n]!);
            break;
          }
          case 1:
            ok = verifyInclusion(m, n, flipBit(leaves[m]!), path, roots[n]!);
            break;
          case 2:
            ok = verifyInclusion(m, n, leaves[m]!, path, flipBit(roots[n]!));
            break;
          case 3: {
            const m2 = int(MAX + 2);
            if (m2 === m) continue;
            ok = verifyInclusion(m2, n, leaves[m]!, path, roots[n]!);
            break;
          }
          default: {
            const n2 = 1 + int(MAX);
            if (n2 === n) continue;
            ok = verifyInclusion(m, n2, leaves[m]!, path, roots[n2]!);
            break;
          }
        }
        expect(ok, `seed ${seed}: inclusion mutation accepted (m=${m}, n=${n})`).toBe(false);
      } else {
        if (n < 2) continue;
        const m = 1 + int(n - 1);
        const path = consistencyPath(leaves, m, n);
        let ok: boolean;
        switch (int(5)) {
          case 0: {
            const p = mutatePath(path);
            if (!p) continue;
            ok = verifyConsistency(m, n, roots[m]!, roots[n]!, p);
            break;
          }
          case 1:
            ok = verifyConsistency(m, n, flipBit(roots[m]!), roots[n]!, path);
            break;
          case 2:
            ok = verifyConsistency(m, n, roots[m]!, flipBit(roots[n]!), path);
            break;
          case 3: {
            const m2 = 1 + int(n);
            if (m2 === m) continue;
            ok = verifyConsistency(m2, n, roots[m2]!, roots[n]!, path);
            break;
          }
          default: {
            const n2 = 1 + int(MAX);
            if (n2 === n || n2 < m) continue;
            ok = verifyConsistency(m, n2, roots[m]!, roots[n2]!, path);
            break;
          }
        }
        expect(ok, `seed ${seed}: consistency mutation accepted (m=${m}, n=${n})`).toBe(false);
      }
      checked += 1;
    }
  });
});
