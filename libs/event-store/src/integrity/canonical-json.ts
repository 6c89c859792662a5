/**
 * The canonical JSON encoding the hash chains commit to: object keys sorted by code unit, no
 * whitespace, strings and numbers as JSON.stringify writes them (numbers come from stored JSON, so
 * they are written as they were read), `undefined` members left out as JSON leaves them out.
 *
 * Every append and every event of an integrity check goes through here, so it is written for
 * speed (one string built by concatenation, keys sorted only when they are not in order already,
 * each key's quoted form remembered) while producing exactly the bytes of the plain definition
 * above: chains written before must still verify.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (i > 0) out += ',';
      out += item === undefined ? 'null' : canonicalJson(item);
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
      out += (first ? '' : ',') + quotedKey(key) + ':' + canonicalJson(member);
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
