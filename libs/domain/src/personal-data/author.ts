/**
 * An initiative's author: a name, or a union member identified by their card number. A member
 * number lets one erasure reach every initiative of that member; a bare name is known only inside
 * its initiative.
 */
export type Author = string | { name: string; memberNo: string };

/** What every read model shows in place of a person whose data was erased. */
export const ERASED_PLACEHOLDER = '[đã xoá]';

export function authorName(author: Author): string {
  return typeof author === 'string' ? author : author.name;
}

/** Union card numbers: letters, digits and dashes, as printed on the card. */
export const MEMBER_NO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

export function isMemberNo(value: unknown): value is string {
  return typeof value === 'string' && MEMBER_NO_PATTERN.test(value);
}

/** Two author lists are the same when they name the same people in the same order. */
export function sameAuthors(a: readonly Author[], b: readonly Author[]): boolean {
  return a.length === b.length && a.every((author, i) => authorKey(author) === authorKey(b[i]!));
}

function authorKey(author: Author): string {
  return typeof author === 'string' ? `n\u0000${author}` : `m\u0000${author.memberNo}\u0000${author.name}`;
}
