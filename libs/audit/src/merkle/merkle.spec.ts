import {
  completeSubtrees,
  consistencyRanges,
  EMPTY_TREE_HASH,
  foldSubtrees,
  Hash,
  hashChildren,
  hashLeaf,
  inclusionRanges,
  MerkleFrontier,
  Range,
  rootFromInclusionProof,
  splitPoint,
  verifyConsistency,
  verifyInclusion,
} from './merkle';

// Published RFC 6962/9162 test data: the eight leaves and the root of every tree size, the
// inclusion and consistency proofs, from transparency-dev/merkle (testonly/constants.go and
// proof/verify_test.go), which carry them over from the certificate-transparency reference
// implementation. Their inclusion vectors number leaves from 1; here from 0, as RFC 9162 does.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION: { leaf: number; size: number; proof: string[] }[] = [
  { leaf: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { leaf: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { leaf: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { leaf: 1, size: 5, proof: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];
const CONSISTENCY: { first: number; second: number; proof: string[] }[] = [
  { first: 1, second: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { first: 6, second: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { first: 2, second: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { first: 6, second: 7, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];

const hex = (h: Hash) => h.toString('hex');
const fromHex = (s: string) => Buffer.from(s, 'hex');

/** MTH(D[lo:hi]) straight from the definition, to check everything else against. */
function referenceHash(leaves: readonly Hash[], lo: number, hi: number): Hash {
  if (hi - lo === 0) return EMPTY_TREE_HASH;
  if (hi - lo === 1) return leaves[lo];
  const k = splitPoint(hi - lo);
  return hashChildren(referenceHash(leaves, lo, lo + k), referenceHash(leaves, lo + k, hi));
}

const proofFor = (leaves: readonly Hash[], ranges: Range[]) => ranges.map((r) => referenceHash(leaves, r.lo, r.hi));

describe('RFC 9162 Merkle tree', () => {
  const leafHashes = LEAVES.map((l) => hashLeaf(l));

  it('gives the published root of every tree of the test leaves', () => {
    for (let n = 0; n <= 8; n += 1) expect(hex(referenceHash(leafHashes, 0, n))).toBe(ROOTS[n]);
  });

  it('builds the same roots leaf by leaf, reporting each completed subtree', () => {
    const tree = MerkleFrontier.empty();
    expect(hex(tree.root())).toBe(ROOTS[0]);
    const completed: string[] = [];
    leafHashes.forEach((h, i) => {
      completed.push(...tree.append(h).map((n) => `${n.level}/${n.index}`));
      expect(hex(tree.root())).toBe(ROOTS[i + 1]);
    });
    expect(completed).toEqual(['1/0', '1/1', '2/0', '1/2', '1/3', '2/1', '3/0']);
  });

  it('resumes a tree from its edge subtrees', () => {
    for (let n = 0; n <= 8; n += 1) {
      const edge = completeSubtrees(0, n).map((id) => referenceHash(leafHashes, id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level));
      expect(hex(foldSubtrees(edge))).toBe(ROOTS[n]);
      const tree = MerkleFrontier.resume(n, edge);
      for (let i = n; i < 8; i += 1) tree.append(leafHashes[i]);
      expect(hex(tree.root())).toBe(ROOTS[8]);
    }
  });

  it.each(INCLUSION)('produces and checks the published inclusion proof of leaf $leaf in $size', ({ leaf, size, proof }) => {
    const produced = proofFor(leafHashes, inclusionRanges(leaf, size));
    expect(produced.map(hex)).toEqual(proof);
    expect(verifyInclusion(leaf, size, leafHashes[leaf], proof.map(fromHex), fromHex(ROOTS[size]))).toBe(true);
  });

  it.each(CONSISTENCY)('produces and checks the published consistency proof from $first to $second', ({ first, second, proof }) => {
    expect(proofFor(leafHashes, consistencyRanges(first, second)).map(hex)).toEqual(proof);
    expect(verifyConsistency(first, second, fromHex(ROOTS[first]), fromHex(ROOTS[second]), proof.map(fromHex))).toBe(true);
  });

  it('refuses a proof with any bit flipped, a hash missing or added, or the wrong sizes', () => {
    const { leaf, size, proof } = INCLUSION[1];
    const root = fromHex(ROOTS[size]);
    const good = proof.map(fromHex);
    for (let i = 0; i < good.length; i += 1) {
      const bad = good.map((h) => Buffer.from(h));
      bad[i][0] ^= 8;
      expect(verifyInclusion(leaf, size, leafHashes[leaf], bad, root)).toBe(false);
    }
    expect(verifyInclusion(leaf, size, leafHashes[leaf], good.slice(1), root)).toBe(false);
    expect(verifyInclusion(leaf, size, leafHashes[leaf], [...good, root], root)).toBe(false);
    expect(verifyInclusion(leaf + 1, size, leafHashes[leaf], good, root)).toBe(false);
    expect(rootFromInclusionProof(size, size, leafHashes[leaf], good)).toBeNull();

    const c = CONSISTENCY[1];
    const cp = c.proof.map(fromHex);
    for (let i = 0; i < cp.length; i += 1) {
      const bad = cp.map((h) => Buffer.from(h));
      bad[i][0] ^= 16;
      expect(verifyConsistency(c.first, c.second, fromHex(ROOTS[c.first]), fromHex(ROOTS[c.second]), bad)).toBe(false);
    }
    expect(verifyConsistency(c.first, c.second, fromHex(ROOTS[c.second]), fromHex(ROOTS[c.first]), cp)).toBe(false);
    expect(verifyConsistency(c.first, c.second, fromHex(ROOTS[c.first]), fromHex(ROOTS[c.second]), [])).toBe(false);
    expect(verifyConsistency(c.second, c.first, fromHex(ROOTS[c.second]), fromHex(ROOTS[c.first]), cp)).toBe(false);
  });

  it('round-trips every inclusion and consistency proof of trees up to 48 leaves', () => {
    const many = Array.from({ length: 48 }, (_, i) => hashLeaf(`leaf ${i}`));
    for (let n = 1; n <= 48; n += 1) {
      const root = referenceHash(many, 0, n);
      for (let m = 0; m < n; m += 1) {
        expect(verifyInclusion(m, n, many[m], proofFor(many, inclusionRanges(m, n)), root)).toBe(true);
        if (m > 0) expect(verifyConsistency(m, n, referenceHash(many, 0, m), root, proofFor(many, consistencyRanges(m, n)))).toBe(true);
      }
    }
  });

  it('needs only stored (complete) subtrees and right edges for any proof', () => {
    for (let n = 1; n <= 40; n += 1) {
      for (let m = 0; m < n; m += 1) {
        for (const r of [...inclusionRanges(m, n), ...consistencyRanges(m, n)]) {
          const parts = completeSubtrees(r.lo, r.hi);
          expect(parts.reduce((sum, p) => sum + 2 ** p.level, 0)).toBe(r.hi - r.lo);
          expect(parts.every((p) => p.index * 2 ** p.level >= r.lo)).toBe(true);
          if (parts.length > 1) expect(r.hi).toBe(n);
        }
      }
    }
  });
});
