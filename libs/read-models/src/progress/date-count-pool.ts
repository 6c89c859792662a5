import { LocalDate } from '@app/domain';
import { DateCounts, dateOf, dayOf } from './date-counts';

/**
 * The dated counts of every slot of a FigureTable, in one Int32Array of `[day, count, …]` pairs:
 * a slot owns a region of it (`start`, `capacity`), of which its first `length` pairs are used, in
 * date order. Nationally there are about a million slots with dates, most with a handful: as one
 * DateCounts each (an object, an array and its store) they took ~130 bytes apiece and were most of
 * the figures' heap and of what a collection has to mark; here a pair takes 8 bytes and a slot 12.
 *
 * A slot that outgrows its region moves to the end of the pool with half as much room again; the
 * regions left behind are reclaimed by compacting, when they would be a third of what the pool holds.
 */
export class DateCountPool {
  private pool = new Int32Array(0);
  /** Pairs handed out, from the start of the pool. */
  private end = 0;
  /** Pairs handed out but no longer any slot's. */
  private abandoned = 0;
  private start = new Int32Array(0);
  private length = new Int32Array(0);
  private capacity = new Int32Array(0);

  /** Room for `slots` slots, each without dates. */
  grow(slots: number): void {
    if (slots <= this.start.length) return;
    const grown = (old: Int32Array) => {
      const next = new Int32Array(slots);
      next.set(old);
      return next;
    };
    this.start = grown(this.start);
    this.length = grown(this.length);
    this.capacity = grown(this.capacity);
  }

  /** How many dates the slot has. */
  sizeOf(slot: number): number {
    return this.length[slot]!;
  }

  add(slot: number, date: LocalDate, n: number): void {
    this.addDay(slot, dayOf(date), n);
  }

  /** That slot's dated counts, times sign, added to this slot's (the two may be the same pool). */
  addSlot(slot: number, from: DateCountPool, fromSlot: number, sign: 1 | -1): void {
    // A copy: adding may move this pool's regions, the source's among them.
    const a = from.start[fromSlot]! * 2;
    const pairs = from.pool.slice(a, a + from.length[fromSlot]! * 2);
    for (let i = 0; i < pairs.length; i += 2) this.addDay(slot, pairs[i]!, sign * pairs[i + 1]!);
  }

  /** The date on which the slot's running count, in date order, first reaches `target`; null if it never does. */
  dateReaching(slot: number, target: number): LocalDate | null {
    if (target <= 0) return null;
    const a = this.start[slot]! * 2;
    const b = a + this.length[slot]! * 2;
    let running = 0;
    for (let i = a; i < b; i += 2) {
      running += this.pool[i + 1]!;
      if (running >= target) return dateOf(this.pool[i]!);
    }
    return null;
  }

  /** The slot's dated counts, as a value of their own (a copy). */
  countsOf(slot: number): DateCounts {
    const a = this.start[slot]! * 2;
    return DateCounts.ofPairs(Array.from(this.pool.subarray(a, a + this.length[slot]! * 2)));
  }

  /** Replaces the slot's dated counts (a saved state being restored). */
  set(slot: number, counts: DateCounts): void {
    const pairs = counts.encode();
    this.release(slot);
    const n = pairs.length / 2;
    if (n === 0) return;
    this.place(slot, n);
    this.pool.set(pairs, this.start[slot]! * 2);
    this.length[slot] = n;
  }

  private addDay(slot: number, day: number, n: number): void {
    if (n === 0) return;
    const a = this.start[slot]! * 2;
    let i = a + this.length[slot]! * 2;
    // Dates mostly arrive in order: look from the end.
    while (i > a && this.pool[i - 2]! > day) i -= 2;
    if (i > a && this.pool[i - 2] === day) {
      const next = this.pool[i - 1]! + n;
      if (next !== 0) {
        this.pool[i - 1] = next;
        return;
      }
      this.pool.copyWithin(i - 2, i, a + this.length[slot]! * 2);
      this.length[slot]! -= 1;
      return;
    }
    this.insertAt(slot, (i - a) / 2, day, n);
  }

  /** A new date at the slot's `at`-th pair, moving the slot to a larger region when its own is full. */
  private insertAt(slot: number, at: number, day: number, n: number): void {
    const used = this.length[slot]!;
    if (used === this.capacity[slot]) {
      const old = this.pool.slice(this.start[slot]! * 2, (this.start[slot]! + used) * 2);
      this.release(slot);
      this.place(slot, used + (used >> 1) + 1);
      this.pool.set(old, this.start[slot]! * 2);
    }
    const a = this.start[slot]! * 2;
    this.pool.copyWithin(a + at * 2 + 2, a + at * 2, a + used * 2);
    this.pool[a + at * 2] = day;
    this.pool[a + at * 2 + 1] = n;
    this.length[slot] = used + 1;
  }

  private release(slot: number): void {
    this.abandoned += this.capacity[slot]!;
    this.start[slot] = 0;
    this.length[slot] = 0;
    this.capacity[slot] = 0;
  }

  /** A region of `pairs` pairs at the end of the pool for the slot (which holds none meanwhile). */
  private place(slot: number, pairs: number): void {
    if ((this.end + pairs) * 2 > this.pool.length) this.makeRoom(pairs);
    this.start[slot] = this.end;
    this.capacity[slot] = pairs;
    this.end += pairs;
  }

  private makeRoom(pairs: number): void {
    const live = this.end - this.abandoned;
    if (this.abandoned * 3 < this.end) {
      const grown = new Int32Array(Math.max((this.end + pairs) * 2, Math.ceil(this.pool.length * 1.5), 2048));
      grown.set(this.pool.subarray(0, this.end * 2));
      this.pool = grown;
      return;
    }
    // Compacting: every slot's region in slot order, its spare room kept; the pool may shrink.
    const next = new Int32Array(Math.max(Math.ceil((live + pairs) * 1.5) * 2, 2048));
    let end = 0;
    for (let slot = 0; slot < this.start.length; slot++) {
      const capacity = this.capacity[slot]!;
      if (capacity === 0) continue;
      next.set(this.pool.subarray(this.start[slot]! * 2, (this.start[slot]! + this.length[slot]!) * 2), end * 2);
      this.start[slot] = end;
      end += capacity;
    }
    this.pool = next;
    this.end = end;
    this.abandoned = 0;
  }
}
