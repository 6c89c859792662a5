import { HandleResult } from '@app/event-store';

/** What every command answers: the id it acted on and the global position of its last event. */
export interface CommandResponse {
  id: string;
  position: string;
  /** True when an Idempotency-Key retry was answered from the first attempt. */
  replayed?: boolean;
}

export function commandResponse(id: string, result: HandleResult): CommandResponse {
  return { id, position: result.position.toString(), ...(result.replayed ? { replayed: true } : {}) };
}
