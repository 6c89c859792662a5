import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { canonicalJson } from './canonical-json';

/** Seals live in their own stream, chained like any other. */
export const SEAL_STREAM = 'audit-seals';
export const LOG_SEALED = 'LogSealed';

/** What a seal commits to: every stream head up to a global position, as one Merkle root. */
export interface SealBody {
  upToPosition: string;
  streams: number;
  root: string;
  sealedAt: string;
}

export interface Seal extends SealBody {
  /** Ed25519 over the canonical JSON of the body, base64. */
  signature: string;
  /** SHA-256 of the public key (DER), hex: which key signed. */
  keyId: string;
}

export interface StreamHead {
  stream: string;
  revision: bigint;
  hash: string;
}

/**
 * Merkle root over the heads sorted by stream: leaf = SHA-256(0x00 ‖ canonical JSON of
 * { stream, revision, hash }), node = SHA-256(0x01 ‖ left ‖ right), an odd node carried up.
 * An empty log's root is SHA-256 of nothing.
 */
export function merkleRoot(heads: readonly StreamHead[]): string {
  const builder = new MerkleRootBuilder();
  for (const head of [...heads].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0))) builder.add(head);
  return builder.root();
}

/**
 * The same root, built from heads given one by one in stream order, holding one pending node per
 * level (a log of a million streams: twenty nodes, not a million leaves). Pairing each level's
 * nodes as they come and carrying the last one of an odd level up is the level-by-level tree of
 * the definition above.
 */
export class MerkleRootBuilder {
  /** The node waiting for its right sibling at each level, if any. */
  private readonly pending: (Buffer | undefined)[] = [];
  private last: string | undefined;
  count = 0;

  /** @throws when a head does not come after the one before it in stream order */
  add(head: StreamHead): void {
    if (this.last !== undefined && !(this.last < head.stream)) throw new Error(`Seal heads out of stream order: ${head.stream} after ${this.last}`);
    this.last = head.stream;
    this.count += 1;
    let node = sha256(Buffer.from([0]), canonicalJson({ stream: head.stream, revision: Number(head.revision), hash: head.hash }));
    for (let level = 0; ; level++) {
      const left = this.pending[level];
      if (left === undefined) {
        this.pending[level] = node;
        return;
      }
      this.pending[level] = undefined;
      node = sha256(Buffer.from([1]), left, node);
    }
  }

  root(): string {
    if (this.count === 0) return sha256().toString('hex');
    // From the lowest level up: a level's last node, unpaired, is carried up to pair with the level above's.
    let carried: Buffer | undefined;
    for (const node of this.pending) {
      if (node === undefined) continue;
      carried = carried === undefined ? node : sha256(Buffer.from([1]), node, carried);
    }
    return carried!.toString('hex');
  }
}

function sha256(...parts: (Buffer | string)[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** Signs seals with an Ed25519 key; verifies them with its public half. */
export class SealSigner {
  readonly publicKeyPem: string;
  readonly keyId: string;
  private readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  }

  sign(body: SealBody): Seal {
    return { ...body, signature: sign(null, Buffer.from(canonicalJson(bodyOf(body))), this.privateKey).toString('base64'), keyId: this.keyId };
  }

  /** Whether this key signed exactly this body. */
  verifies(seal: Seal): boolean {
    try {
      return seal.keyId === this.keyId && verify(null, Buffer.from(canonicalJson(bodyOf(seal))), this.publicKey, Buffer.from(seal.signature, 'base64'));
    } catch {
      return false;
    }
  }
}

function bodyOf(seal: SealBody): SealBody {
  return { upToPosition: seal.upToPosition, streams: seal.streams, root: seal.root, sealedAt: seal.sealedAt };
}

/**
 * The seal key from configuration (PEM of an Ed25519 private key), else from `file`, generated
 * there on first start, readable only by the service's user.
 */
export function loadSealSigner(configuredPem: string | undefined, file: string): SealSigner {
  if (configuredPem) return new SealSigner(createPrivateKey(configuredPem));
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process sharing the directory generated it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return new SealSigner(createPrivateKey(readFileSync(file, 'utf8')));
}
