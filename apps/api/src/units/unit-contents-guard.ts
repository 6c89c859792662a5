import { streams } from '@app/domain';
import { Guard } from '@app/event-store';

/**
 * Decisions that put something into a unit (a submission, an initiative moved there, a subordinate
 * unit registered under it) and the unit's closure are claimed on the unit's contents guard: one
 * decided on a view of the unit older than a concurrent claim is refused and made again on a fresh
 * view, and each claim carries its events, which the next decision on the guard writes first if
 * its writer has not (yet). So a submission lands before the closure or not at all, and a closure
 * sees every unit registered under it. (The claimed authors of a submission are sealed like the
 * initiative's own: see PersonalDataEventStore.)
 *
 * Submissions into one unit share its guard without depending on each other: a conflict between
 * them is made again, a few times, before it becomes a 409.
 */
export function unitContentsGuard(unitId: string): Guard {
  return { stream: streams.unitContents(unitId), retries: 4 };
}
