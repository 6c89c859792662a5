/** How far the read models have got: what read-your-writes waits on and readiness reports. */
export interface ReadModelCheckpoint {
  /** The global position of the last event whose effects are all written. */
  checkpoint(): Promise<bigint>;
}
