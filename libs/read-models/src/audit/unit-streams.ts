import { streams } from '@app/domain';
import { UnitQueries } from '../units/unit-queries.port';
import { HistoryQueries } from './history-queries.port';

/**
 * The streams whose events make up a unit's figures in a programme: the programme's, those of every
 * unit and initiative ever in the unit's subtree (their events are the figures), and those of every
 * unit it was ever under (its place in the tree). The read model keeps the "ever" sets through moves
 * and merges; the events themselves are then read from the event store. Undefined when the read
 * model does not know the unit: the caller replays the whole log instead.
 */
export async function unitStreams(store: UnitQueries & HistoryQueries, programId: string, unitId: string): Promise<string[] | undefined> {
  const unit = await store.unit(unitId);
  if (!unit) return undefined;
  const { unitIds, initiativeIds } = await store.everUnder(unitId);
  const units = new Set([...unit.everPath, ...unitIds]);
  return [
    streams.program(programId),
    ...[...units].flatMap((id) => [streams.unit(id), streams.quota(programId, id)]),
    ...initiativeIds.map((id) => streams.initiative(id)),
  ];
}
