/** Who sends a command, and the request around it: becomes the metadata of every event written. */
export interface CommandContext {
  actor: string;
  /** The service clock at the start of the command (ISO-8601), so that one command has one "now". */
  now: string;
  commandId: string;
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
  /** Hash of what was asked (route and body), to tell a retry from a reuse of the key. */
  requestHash?: string;
}
