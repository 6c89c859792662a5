import { AssignQuota, quotaDecider, QuotaAssigned, fold } from '@app/domain';
import { given } from '../../test/decider-spec';
import { bacKan, unitRegistered, unitState } from '../../test/fixtures';

const naRi = unitState(unitRegistered('na-ri', 'district', 'bk'));
const assign = (overrides: Partial<AssignQuota> = {}): AssignQuota => ({
  type: 'AssignQuota',
  programId: 'bk-2022',
  unitId: 'na-ri',
  phaseId: 'p1',
  quota: 40,
  documentRef: '1144/LĐLĐ-CTCS',
  assignedByUnitId: null,
  program: bacKan,
  unit: naRi,
  assignedBy: null,
  ...overrides,
});
const assigned = (quota: number, previousQuota: number | null, phaseId: string | null = 'p1'): QuotaAssigned => ({
  type: 'QuotaAssigned',
  data: { programId: 'bk-2022', unitId: 'na-ri', phaseId, quota, previousQuota, documentRef: '1144/LĐLĐ-CTCS', assignedByUnitId: null },
});

describe('quota decider', () => {
  it('assigns a quota for a phase, and a later assignment wins, recording the one it replaces', () => {
    given(quotaDecider).when(assign()).then([assigned(40, null)]);
    given(quotaDecider, [assigned(40, null)]).when(assign({ quota: 55 })).then([assigned(55, 40)]);
    expect(fold(quotaDecider, [assigned(40, null), assigned(55, 40)]).quotas).toEqual({ p1: 55 });
  });

  it('treats a quota without phase as the whole-programme quota', () => {
    given(quotaDecider).when(assign({ phaseId: null, quota: 150 })).then([assigned(150, null, null)]);
    expect(fold(quotaDecider, [assigned(150, null, null)]).quotas).toEqual({ all: 150 });
  });

  it('refuses unknown programmes, phases and units, inactive units, negative or fractional quotas', () => {
    given(quotaDecider).when(assign({ program: { status: 'none' } })).thenFails('PROGRAM_NOT_FOUND', 'not_found');
    given(quotaDecider).when(assign({ phaseId: 'p4' })).thenFails('PHASE_NOT_FOUND', 'not_found');
    given(quotaDecider).when(assign({ unit: { status: 'none' } })).thenFails('UNIT_NOT_FOUND', 'not_found');
    given(quotaDecider).when(assign({ unit: { ...(naRi as Exclude<typeof naRi, { status: 'none' }>), status: 'closed' } })).thenFails('UNIT_NOT_ACTIVE');
    given(quotaDecider).when(assign({ quota: -1 })).thenFails('QUOTA_INVALID');
    given(quotaDecider).when(assign({ quota: 2.5 })).thenFails('QUOTA_INVALID');
  });
});
