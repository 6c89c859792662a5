import { Decider } from '../shared/decider';
import { notFound, ruleBroken } from '../shared/domain-error';
import { QuotaCommand } from './quota.commands';
import { WHOLE_PROGRAM_KEY } from '../programs/program.events';
import { QuotaEvent } from './quota.events';
import { evolveQuota, initialQuotaState, QuotaState } from './quota.state';

/** One stream per (programme, unit): assignments for a unit never contend with other units'. */
export const quotaDecider: Decider<QuotaCommand, QuotaEvent, QuotaState> = {
  initialState: initialQuotaState,
  evolve: evolveQuota,
  decide(command, state) {
    const { programId, unitId, phaseId, quota, documentRef, assignedByUnitId, program, unit, assignedBy } = command;
    if (program.status !== 'launched') throw notFound('Program', programId);
    if (phaseId !== null && !program.phases.some((p) => p.id === phaseId)) throw notFound('Phase', phaseId);
    if (unit.status === 'none') throw notFound('Unit', unitId);
    if (unit.status !== 'active') {
      throw ruleBroken('UNIT_NOT_ACTIVE', `Unit ${unitId} is ${unit.status}`, { unitId, status: unit.status });
    }
    if (assignedByUnitId !== null && (!assignedBy || assignedBy.status === 'none')) throw notFound('Unit', assignedByUnitId);
    if (!Number.isSafeInteger(quota) || quota < 0) throw ruleBroken('QUOTA_INVALID', 'A quota is a non-negative whole number');
    const previousQuota = state.quotas[phaseId ?? WHOLE_PROGRAM_KEY] ?? null;
    return [{ type: 'QuotaAssigned', data: { programId, unitId, phaseId, quota, previousQuota, documentRef, assignedByUnitId } }];
  },
};
