import { createCipheriv, createDecipheriv, KeyObject, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM, authenticated: `iv ‖ tag ‖ ciphertext`, base64. The associated data binds a box to
 * its purpose (a key id), so a box copied under another key id does not open. Keys are best given
 * as KeyObjects, made once per key: a raw Buffer is imported again by every call.
 */
export function seal(key: Buffer | KeyObject, plaintext: Buffer, associatedData: string): string {
  const iv = randomIv();
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  // GCM is a stream mode: final() adds no bytes, so the box is put together in one copy.
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
}

/**
 * Random IVs drawn from the system's generator a block at a time: a call per value sealed cost
 * more than the sealing. Every IV is still 96 fresh random bits, none handed out twice.
 */
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
const IV_POOL_BYTES = IV_BYTES * 512;

function randomIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPool.subarray(ivOffset - IV_BYTES, ivOffset);
}

/** @throws when the box was altered or sealed under another key or associated data */
export function open(key: Buffer | KeyObject, box: string, associatedData: string): Buffer {
  const bytes = Buffer.from(box, 'base64');
  const decipher = createDecipheriv(ALGORITHM, key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
