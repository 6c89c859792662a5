/** Who sends a command, and the request around it: becomes the metadata of every event written. */
import { Credential } from './event-store.port';

export interface CommandContext {
  actor: string;
  actorName?: string;
  credential?: Credential;
  /** The service clock at the start of the command (ISO-8601), so that one command has one "now". */
  now: string;
  commandId: string;
  correlationId: string;
  causationId?: string;
  idempotencyKey?: string;
  /** Hash of what was asked (route and body), to tell a retry from a reuse of the key. */
  requestHash?: string;
}
