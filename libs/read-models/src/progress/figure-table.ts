import { Contribution } from '@app/domain';
import { DateCountPool } from './date-count-pool';
import { FigureCounters, Figures } from './figures';

const MAX_BENEFIT = 2n ** 63n - 1n;
const MIN_BENEFIT = -(2n ** 63n);

/** The value, checked before any figure of a slot changes: a slot is never left half added. */
function exact(benefit: bigint): bigint {
  if (benefit > MAX_BENEFIT || benefit < MIN_BENEFIT) throw new RangeError(`A benefit total of ${benefit} VND is past what the projection holds exactly (64 bits)`);
  return benefit;
}

/**
 * The figures of one scope (a unit's own initiatives, or its subtree's) for every (programme, unit),
 * as columns: each key has a row of consecutive slots, one per phase of its programme and one for
 * the whole programme, and a slot is an index into typed arrays. There are about a million of these
 * figures in the national programme; as an object each (with its BigInt, and a map of them per
 * unit) took ~380 bytes and made most of the projection's live heap, where a slot's counters take 32.
 * Benefit is exact: a sum past what 64 bits hold fails the projection rather than wrap.
 */
export class FigureTable {
  private readonly rows = new Map<string, number>();
  private used = 0;
  private submitted = new Int32Array(0);
  private approved = new Int32Array(0);
  private pending = new Int32Array(0);
  private rejected = new Int32Array(0);
  private withdrawn = new Int32Array(0);
  private counted = new Int32Array(0);
  private benefit = new BigInt64Array(0);
  private readonly dates = new DateCountPool();

  /** The first slot of a key's row, if it has one. */
  rowOf(k: string): number | undefined {
    return this.rows.get(k);
  }

  /** The first slot of a key's row of `width` slots, made with every figure zero if it has none. */
  row(k: string, width: number): number {
    let first = this.rows.get(k);
    if (first === undefined) {
      first = this.used;
      this.grow(this.used + width);
      this.used += width;
      this.rows.set(k, first);
    }
    return first;
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  /** figures += sign × contribution. */
  addContribution(slot: number, c: Contribution, sign: 1 | -1): void {
    const benefit = exact(sign === 1 ? this.benefit[slot]! + c.benefit : this.benefit[slot]! - c.benefit);
    this.submitted[slot] += sign;
    switch (c.status) {
      case 'approved':
        this.approved[slot] += sign;
        break;
      case 'submitted':
        this.pending[slot] += sign;
        break;
      case 'rejected':
      case 'revoked':
        this.rejected[slot] += sign;
        break;
      case 'withdrawn':
        this.withdrawn[slot] += sign;
        break;
    }
    if (c.counted) {
      this.counted[slot] += sign;
      this.dates.add(slot, c.countedOn, sign);
    }
    this.benefit[slot] = benefit;
  }

  /** This slot += sign × that table's slot. */
  addSlot(slot: number, from: FigureTable, fromSlot: number, sign: 1 | -1): void {
    const benefit = exact(sign === 1 ? this.benefit[slot]! + from.benefit[fromSlot]! : this.benefit[slot]! - from.benefit[fromSlot]!);
    this.submitted[slot] += sign * from.submitted[fromSlot]!;
    this.approved[slot] += sign * from.approved[fromSlot]!;
    this.pending[slot] += sign * from.pending[fromSlot]!;
    this.rejected[slot] += sign * from.rejected[fromSlot]!;
    this.withdrawn[slot] += sign * from.withdrawn[fromSlot]!;
    this.counted[slot] += sign * from.counted[fromSlot]!;
    this.benefit[slot] = benefit;
    this.dates.addSlot(slot, from.dates, fromSlot, sign);
  }

  countedAt(slot: number): number {
    return this.counted[slot]!;
  }

  benefitAt(slot: number): bigint {
    return this.benefit[slot]!;
  }

  /** The date on which the slot's counted initiatives, in date order, first reach `target`; null if they never do. */
  dateReaching(slot: number, target: number): ReturnType<DateCountPool['dateReaching']> {
    return this.dates.dateReaching(slot, target);
  }

  /** The slot's counters (what a row shows; its dated counts are asked with dateReaching). */
  countersAt(slot: number): FigureCounters {
    return {
      submitted: this.submitted[slot]!,
      approved: this.approved[slot]!,
      pending: this.pending[slot]!,
      rejected: this.rejected[slot]!,
      withdrawn: this.withdrawn[slot]!,
      counted: this.counted[slot]!,
      benefitValue: this.benefit[slot]!,
    };
  }

  /** The slot's figures with a copy of its dated counts (what a saved state keeps), or undefined when every figure is zero. */
  figuresAt(slot: number): Figures | undefined {
    const f = this.countersAt(slot);
    const zero = f.submitted === 0 && f.approved === 0 && f.pending === 0 && f.rejected === 0 && f.withdrawn === 0 && f.counted === 0 && f.benefitValue === 0n;
    return zero && this.dates.sizeOf(slot) === 0 ? undefined : { ...f, countedByDate: this.dates.countsOf(slot) };
  }

  /** Sets a slot from figures (a saved state being restored). */
  setFigures(slot: number, f: Figures): void {
    this.submitted[slot] = f.submitted;
    this.approved[slot] = f.approved;
    this.pending[slot] = f.pending;
    this.rejected[slot] = f.rejected;
    this.withdrawn[slot] = f.withdrawn;
    this.counted[slot] = f.counted;
    this.benefit[slot] = exact(f.benefitValue);
    this.dates.set(slot, f.countedByDate);
  }

  private grow(needed: number): void {
    if (needed <= this.submitted.length) return;
    const capacity = Math.max(needed, this.submitted.length * 2, 1024);
    const grown = <T extends Int32Array | BigInt64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old as never);
      return next;
    };
    const ints = (n: number) => new Int32Array(n);
    this.submitted = grown(this.submitted, ints);
    this.approved = grown(this.approved, ints);
    this.pending = grown(this.pending, ints);
    this.rejected = grown(this.rejected, ints);
    this.withdrawn = grown(this.withdrawn, ints);
    this.counted = grown(this.counted, ints);
    this.benefit = grown(this.benefit, (n) => new BigInt64Array(n));
    this.dates.grow(capacity);
  }
}
