/** Upper bound on how far a client's clock may run ahead of ours before a timestamp is "in the future". */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function isInFuture(instant: string, now: string): boolean {
  return Date.parse(instant) > Date.parse(now) + CLOCK_SKEW_MS;
}
