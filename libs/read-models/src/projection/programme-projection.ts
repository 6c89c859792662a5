export * from './read-model-projections';
export { ReadModelProjections as ProgrammeProjection } from './read-model-projections';
