import { WHOLE_PROGRAM_KEY } from '../programs/program.events';
import { QuotaEvent } from './quota.events';

/** The assignments in force for one unit in one programme, by phase id ('all' for the whole programme). */
export interface QuotaState {
  quotas: Record<string, number>;
}

export const initialQuotaState = (): QuotaState => ({ quotas: {} });

export function evolveQuota(state: QuotaState, event: QuotaEvent): QuotaState {
  return { quotas: { ...state.quotas, [event.data.phaseId ?? WHOLE_PROGRAM_KEY]: event.data.quota } };
}
