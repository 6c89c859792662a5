/**
 * The canonical JSON encoding the hash chains commit to: object keys sorted by code unit, no
 * whitespace, strings and numbers as JSON.stringify writes them (numbers come from stored JSON, so
 * they are written as they were read), `undefined` members left out as JSON leaves them out.
 *
 * Every append and every event of an integrity check goes through here, so it is written for
 * speed while producing exactly the bytes of the plain definition above: chains written before
 * must still verify. A value of plain objects and arrays is copied with its keys in order (only
 * the objects out of order are copied) and written by one JSON.stringify: a flat string, which the
 * hash reads at once, where a string concatenated piece by piece must first be flattened, and
 * that cost more than the hash. What JSON.stringify would write otherwise (keys that JavaScript
 * enumerates before the others whatever their order, as integer-like ones; `__proto__`; values
 * JSON has no form for; objects that are not plain) is written piece by piece.
 */
export function canonicalJson(value: unknown): string {
  const ordered = inKeyOrder(value);
  return ordered === NOT_PLAIN ? concatenated(value) : JSON.stringify(ordered);
}

const NOT_PLAIN = Symbol('not plain JSON');

/** The value with every object's keys in order (the value itself when they all are), or NOT_PLAIN. */
function inKeyOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return typeof value === 'function' || typeof value === 'symbol' ? NOT_PLAIN : value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const ordered = inKeyOrder(item);
      if (ordered === NOT_PLAIN) return NOT_PLAIN;
      if (ordered !== item) (copy ??= value.slice())[i] = ordered;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    // A digit first: an integer-like key, which no object enumerates in the order it was given.
    if (key.charCodeAt(0) <= 57 || key === '__proto__') return NOT_PLAIN;
    if (i > 0 && keys[i - 1]! > key) sorted = false;
  }
  if (!sorted) {
    keys.sort();
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const ordered = inKeyOrder(record[key]);
      if (ordered === NOT_PLAIN) return NOT_PLAIN;
      copy[key] = ordered;
    }
    return copy;
  }
  // In order already: copied only if a member had to be.
  let copy: Record<string, unknown> | undefined;
  for (const key of keys) {
    const member = record[key];
    const ordered = inKeyOrder(member);
    if (ordered === NOT_PLAIN) return NOT_PLAIN;
    if (ordered !== member) (copy ??= { ...record })[key] = ordered;
  }
  return copy ?? value;
}

/** The encoding built by concatenation, for any value. */
function concatenated(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined ? 'null' : concatenated(item);
    }
    return out + ']';
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (!inOrder(keys)) keys.sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      out += (first ? '' : ',') + quotedKey(key) + ':' + concatenated(member);
      first = false;
    }
    return out + '}';
  }
  return JSON.stringify(value);
}

/** Events come from a few codecs, so their keys are few: each is quoted once per process. */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    // Keys of free-form data could be unbounded: past the bound, quote without remembering.
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** Whether the keys are already sorted by code unit (as the default sort orders strings). */
function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1]! > keys[i]!) return false;
  return true;
}
