/**
 * Target percentages (5 %, 4 %, 6 %, 15 %) may carry up to two decimals. Quotas are computed in
 * basis points with integer arithmetic so that ceil(members × 4.5 / 100) has no float error.
 */
export function isTargetPercent(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100) return false;
  return Math.abs(value * 100 - Math.round(value * 100)) < 1e-9;
}

export function toBasisPoints(percent: number): bigint {
  return BigInt(Math.round(percent * 100));
}

/** ceil(members × percent / 100), exactly. */
export function defaultQuota(members: number, percent: number): number {
  const numerator = BigInt(members) * toBasisPoints(percent);
  return Number((numerator + 9_999n) / 10_000n);
}
