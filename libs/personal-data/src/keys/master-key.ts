import { createHmac, createSecretKey, hkdfSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { open, seal } from './sealed-box';

/**
 * What the personal-data layer needs from a master key, and the seam for an external KMS: an
 * implementation backed by a KMS wraps and unwraps data keys with the KMS's encrypt/decrypt calls
 * and computes blind indexes with its MAC call (e.g. an HMAC key kept in the KMS), so the master
 * key never leaves it. Data keys are unwrapped once per read batch, not once per event.
 */
export interface MasterKey {
  wrap(dataKey: Buffer, keyId: string): Promise<string>;
  unwrap(wrapped: string, keyId: string): Promise<Buffer>;
  /** A keyed hash of who a person is: the key store finds a person's key by it without holding the identity. */
  blindIndex(subject: string): Promise<string>;
  /**
   * A master key held in this process: the key `wrap` seals with, so that spare keys can be wrapped
   * in a worker thread of this process (see KeyStore.makeSpares). A KMS has none to give.
   */
  readonly localWrappingKey?: KeyObject;
}

/** A master key held by the service itself (from configuration or its data directory). */
export class LocalMasterKey implements MasterKey {
  // KeyObjects, imported once: a raw key is imported again by every cipher or HMAC made from it.
  readonly localWrappingKey: KeyObject;
  private readonly indexing: KeyObject;

  constructor(secret: Buffer) {
    if (secret.length !== 32) throw new Error('The personal-data master key must be 32 bytes (base64 in PERSONAL_DATA_MASTER_KEY)');
    // Two purposes, two keys: a leaked blind index says nothing about the wrapping key.
    this.localWrappingKey = createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'personal-data key wrapping', 32)));
    this.indexing = createSecretKey(Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'personal-data blind index', 32)));
  }

  async wrap(dataKey: Buffer, keyId: string): Promise<string> {
    return seal(this.localWrappingKey, dataKey, keyId);
  }

  async unwrap(wrapped: string, keyId: string): Promise<Buffer> {
    return open(this.localWrappingKey, wrapped, keyId);
  }

  async blindIndex(subject: string): Promise<string> {
    return createHmac('sha256', this.indexing).update(subject, 'utf8').digest('hex');
  }
}

/**
 * The master key from configuration (base64 of 32 bytes), else from `file`, generated there on
 * first start, readable only by the service's user.
 */
export function loadMasterKey(configured: string | undefined, file: string): LocalMasterKey {
  if (configured) return new LocalMasterKey(Buffer.from(configured, 'base64'));
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process sharing the directory generated it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  return new LocalMasterKey(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}
