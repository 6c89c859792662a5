import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { merkleRoot, MerkleRootBuilder, StreamHead } from './seal';

/** The root as the README defines it, level by level: what chains and seals written before must still verify against. */
function rootByLevels(heads: readonly StreamHead[]): string {
  const sha = (...parts: (Buffer | string)[]) => parts.reduce((hash, part) => hash.update(part), createHash('sha256')).digest();
  let level: Buffer[] = [...heads].sort((a, b) => (a.stream < b.stream ? -1 : 1)).map((h) => sha(Buffer.from([0]), canonicalJson({ stream: h.stream, revision: Number(h.revision), hash: h.hash })));
  if (level.length === 0) return sha().toString('hex');
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? sha(Buffer.from([1]), level[i]!, level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!.toString('hex');
}

const heads = (n: number): StreamHead[] => Array.from({ length: n }, (_, i) => ({ stream: `s-${randomBytes(4).toString('hex')}-${i}`, revision: BigInt(i % 7), hash: randomBytes(32).toString('hex') }));

describe('Merkle root of a seal', () => {
  it('built head by head in stream order is the level-by-level root, for every size up to 130 and a few large ones', () => {
    for (const n of [...Array.from({ length: 131 }, (_, i) => i), 255, 256, 257, 1000, 1025]) {
      const given = heads(n);
      expect({ n, root: merkleRoot(given) }).toEqual({ n, root: rootByLevels(given) });
    }
  });

  it('refuses heads out of stream order', () => {
    const builder = new MerkleRootBuilder();
    builder.add({ stream: 'b', revision: 0n, hash: '0'.repeat(64) });
    expect(() => builder.add({ stream: 'a', revision: 0n, hash: '0'.repeat(64) })).toThrow(/out of stream order/);
  });
});
