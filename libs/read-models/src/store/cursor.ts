import { InvalidCursorError, Page } from './page';

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

/** A page of at most `limit` items from `limit + 1` fetched: the extra one says whether there is a next page. */
export function pageOf<T>(items: T[], limit: number, keyOf: (item: T) => CursorKey): Page<T> {
  const more = items.length > limit;
  const slice = more ? items.slice(0, limit) : items;
  return { items: slice, nextCursor: more && slice.length > 0 ? encodeCursor(keyOf(slice[slice.length - 1])) : null };
}

/**
 * A cursor whose value has not the type this query's sort produces was not issued for this query.
 * (The memory adapter compares such a value anyway; the database adapters refuse it rather than
 * compare across types.)
 */
export function checkCursorValue(key: CursorKey, expected: 'empty' | 'string' | 'number'): void {
  const ok = expected === 'empty' ? key[0] === '' : typeof key[0] === expected;
  if (!ok) throw new InvalidCursorError();
}
