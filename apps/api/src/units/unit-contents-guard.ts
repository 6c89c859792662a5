import { streams } from '@app/domain';
import { Guard } from '@app/event-store';

/**
 * Decisions that put something into a unit, and the unit's closure, are claimed on the unit's
 * contents guard: a submission decided on a view of the unit taken before a concurrent closure is
 * refused and made again on a fresh view (which then finds the unit closed), never written after it.
 *
 * `withEvents`: the closure and a subordinate unit's registration carry their events, so that the
 * next decision on the guard completes them if their writer died in between (a closure reads the
 * unit's children). A submission only orders itself: the closure reads nothing of initiatives, and
 * the submission's authors must not be copied out of the initiative's stream, which erasure reaches.
 * Submissions into one unit share its guard without depending on each other: a conflict between
 * them is made again, a few times, before it becomes a 409.
 */
export function unitContentsGuard(unitId: string, withEvents: boolean): Guard {
  return { stream: streams.unitContents(unitId), withEvents, retries: 4 };
}
