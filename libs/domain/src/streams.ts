/**
 * One stream per aggregate. Ids never contain ':' (see ID_PATTERN), so the quota stream name
 * is unambiguous. The prefix before the first '-' is EventStoreDB's category.
 */
export const streams = {
  program: (programId: string) => `program-${programId}`,
  unit: (unitId: string) => `unit-${unitId}`,
  quota: (programId: string, unitId: string) => `quota-${programId}:${unitId}`,
  initiative: (initiativeId: string) => `initiative-${initiativeId}`,
  /** A reorganisation's decision and its progress; its steps write to the units' own streams. */
  reorganisation: (reorganisationId: string) => `reorganisation-${reorganisationId}`,
  /** No aggregate's: every change of a unit's place in the tree claims its events here first (see AggregateStore's guard). */
  unitTree: () => 'tree-units',
  /** Grants and API keys (see the access decider): not programme events, projections skip them. */
  access: () => 'access-control',
};
