import { HistoryEntry, ReadModelStore } from '@app/read-models';

/** Every stored document of every read model, in a fixed order: what two stores are compared by. */
export async function documentsOf(store: ReadModelStore, options: { withoutPositions?: boolean } = {}) {
  const sorted = async <T>(items: AsyncIterable<T>, keyOf: (item: T) => string) => {
    const all: T[] = [];
    for await (const item of items) all.push(item);
    return all.sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
  };
  const initiatives = await sorted(store.documents('initiatives'), (d) => d.initiativeId);
  const progress = await sorted(store.documents('progress'), (r) => `${r.unitId}|${r.phaseId}`);
  // Every row's history, both scopes (entries carry positions: left out with them).
  const history: Record<string, HistoryEntry[]> = {};
  if (!options.withoutPositions) {
    for (const { programId, unitId, phaseId } of progress) {
      for (const subtree of [true, false]) history[`${programId}/${unitId}/${phaseId}/${subtree ? 'subtree' : 'own'}`] = await store.history({ programId, unitId, phaseId, subtree, limit: 100_000 });
    }
  }
  return {
    progress,
    units: await sorted(store.documents('units'), (u) => u.unitId),
    initiatives: options.withoutPositions ? initiatives.map(({ position: _position, ...doc }) => doc) : initiatives,
    programs: await sorted(store.documents('programs'), (p) => p.programId),
    history,
  };
}
