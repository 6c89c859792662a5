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
  /**
   * No aggregate's: what lands in a unit (a submission, an initiative moved there, a subordinate
   * unit registered under it) and the unit's closure claim here first, so that none lands in a
   * unit closed meanwhile (see AggregateStore's guard).
   */
  unitContents: (unitId: string) => `guard-unit-${unitId}`,
  /** Grants and API keys (see the access decider): not programme events, projections skip them. */
  access: () => 'access-control',
};
