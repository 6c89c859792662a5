/** A page of a query's answer, keyset-paginated (see cursor.ts). */
export interface Page<T> {
  items: T[];
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not one this service issued for this query');
    this.name = 'InvalidCursorError';
  }
}
