import { ReadModelStore } from '@app/read-models';

/** Every stored document of every read model, in a fixed order: what two stores are compared by. */
export async function documentsOf(store: ReadModelStore, options: { withoutPositions?: boolean } = {}) {
  const sorted = async <T>(items: AsyncIterable<T>, keyOf: (item: T) => string) => {
    const all: T[] = [];
    for await (const item of items) all.push(item);
    return all.sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
  };
  const initiatives = await sorted(store.documents('initiatives'), (d) => d.initiativeId);
  return {
    progress: await sorted(store.documents('progress'), (r) => `${r.unitId}|${r.phaseId}`),
    units: await sorted(store.documents('units'), (u) => u.unitId),
    initiatives: options.withoutPositions ? initiatives.map(({ position: _position, ...doc }) => doc) : initiatives,
    programs: await sorted(store.documents('programs'), (p) => p.programId),
  };
}
