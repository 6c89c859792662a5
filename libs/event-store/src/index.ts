export * from './event-store.port';
export * from './sqlite/sqlite-event-store';
export * from './aggregate-store';
export * from './command-context';
export * from './deterministic-id';
export * from './nest/event-store.config';
export * from './nest/event-store.module';
export * from './esdb/esdb-event-store';
