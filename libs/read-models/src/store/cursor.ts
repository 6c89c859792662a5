import { InvalidCursorError } from './read-model-store.port';

/**
 * Keyset pagination: a cursor is the sort key of the last item returned (value and id), opaque to
 * clients. Encoding the key, not an offset, keeps pages stable while the read model changes and
 * costs one index seek per page however deep.
 */
export type CursorKey = [string | number, string];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && (typeof key[0] === 'string' || typeof key[0] === 'number') && typeof key[1] === 'string') {
      return key as CursorKey;
    }
  } catch {
    // fall through: any undecodable cursor is the same client error
  }
  throw new InvalidCursorError();
}
