/**
 * Rebuilds asked for and reported across processes: a reader (an API beside apps/projector) asks,
 * the writer takes the request and publishes its rebuild's state for every reader.
 */
export interface RebuildQueue {
  /** Asks the writer (wherever it runs) for a rebuild. */
  requestRebuild(): Promise<void>;
  /** The writer's side: true, once, for each request made since the last call. */
  takeRebuildRequest(): Promise<boolean>;
  /** The writer publishes the state of its rebuild for readers in other processes. */
  publishRebuild(status: unknown): Promise<void>;
  publishedRebuild(): Promise<unknown>;
}
