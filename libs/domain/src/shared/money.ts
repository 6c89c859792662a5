/**
 * Money is whole VND held as bigint: national totals pass 10^13, beyond what a double adds
 * exactly once sums of many values are involved. On the wire and in events it is a string of digits.
 */
export type Vnd = bigint;

const DIGITS = /^(0|[1-9]\d*)$/;
/** Far above any real figure (the whole national benefit is ~10^13); guards against typos like 10^30. */
export const MAX_VND = 10n ** 18n;

/** Accepts a non-negative safe JSON integer or a string of digits; anything else is undefined. */
export function parseVnd(value: unknown): Vnd | undefined {
  let parsed: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return undefined;
    parsed = BigInt(value);
  } else if (typeof value === 'string' && DIGITS.test(value)) {
    parsed = BigInt(value);
  } else {
    return undefined;
  }
  return parsed <= MAX_VND ? parsed : undefined;
}
