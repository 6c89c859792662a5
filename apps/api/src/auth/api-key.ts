import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `omi_<keyId>_<secret>`: the id finds the record, the secret (256 random bits) proves possession. */
const API_KEY = /^omi_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface IssuedKey {
  keyId: string;
  token: string;
  secretHash: string;
}

export function issueApiKey(): IssuedKey {
  const keyId = randomBytes(10).toString('hex').slice(0, 16);
  const secret = randomBytes(32).toString('base64url');
  return { keyId, token: `omi_${keyId}_${secret}`, secretHash: hashSecret(secret) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith('omi_');
}

export function parseApiKey(token: string): { keyId: string; secret: string } | undefined {
  const match = API_KEY.exec(token);
  return match ? { keyId: match[1], secret: match[2] } : undefined;
}

/** A fast hash is enough: the secret has 256 bits of entropy, nothing to guess. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, secretHash: string): boolean {
  const expected = Buffer.from(secretHash, 'hex');
  const actual = createHash('sha256').update(secret).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
