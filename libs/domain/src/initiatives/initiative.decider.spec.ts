import { asLocalDate, InitiativeApproved, initiativeDecider, InitiativeSubmitted, SubmitInitiative } from '@app/domain';
import { given } from '../../test/decider-spec';
import { bacKan, unitRegistered, unitState } from '../../test/fixtures';

const d = asLocalDate;
const now = '2022-06-15T03:00:00.000Z';
const naRi = unitState(unitRegistered('na-ri', 'district', 'bk'));
const ref = { initiativeId: 'sk-1', programId: 'bk-2022', unitId: 'na-ri' };

const submit = (overrides: Partial<SubmitInitiative> = {}): SubmitInitiative => ({
  type: 'SubmitInitiative',
  ...ref,
  title: 'Số hóa hồ sơ đoàn viên',
  authors: ['Nguyễn Văn A'],
  category: 'technology',
  appliedOn: d('2022-03-01'),
  submittedAt: '2022-05-31T20:00:00.000Z',
  benefitValue: 25_000_000n,
  program: bacKan,
  unit: naRi,
  now,
  ...overrides,
});
const submitted: InitiativeSubmitted = {
  type: 'InitiativeSubmitted',
  data: {
    ...ref,
    title: 'Số hóa hồ sơ đoàn viên',
    authors: ['Nguyễn Văn A'],
    category: 'technology',
    appliedOn: d('2022-03-01'),
    submittedAt: '2022-05-31T20:00:00.000Z',
    submittedOn: d('2022-06-01'),
    benefitValue: '25000000',
  },
};
const approved: InitiativeApproved = {
  type: 'InitiativeApproved',
  data: { ...ref, approvedAt: '2022-06-10T02:00:00.000Z', approvedOn: d('2022-06-10'), benefitValue: '30000000', decisionRef: 'QĐ-HĐSK-7' },
};

describe('initiative decider', () => {
  it('records a submission dated by the Vietnam calendar (20:00Z on 31 May is 1 June)', () => {
    given(initiativeDecider).when(submit()).then([submitted]);
  });

  it('refuses an application date outside the eligibility window 01/09/2021–01/09/2023, with that reason', () => {
    const error = given(initiativeDecider).when(submit({ appliedOn: d('2021-08-31') })).thenFails('APPLIED_OUTSIDE_ELIGIBILITY_WINDOW');
    expect(error.details).toMatchObject({ appliedOn: '2021-08-31', eligibility: { from: '2021-09-01', to: '2023-09-01' } });
    given(initiativeDecider).when(submit({ appliedOn: d('2023-09-02') })).thenFails('APPLIED_OUTSIDE_ELIGIBILITY_WINDOW');
    given(initiativeDecider).when(submit({ appliedOn: d('2023-09-01') })).then([{ ...submitted, data: { ...submitted.data, appliedOn: d('2023-09-01') } }]);
  });

  it('refuses a unit that does not exist or is not active, and an unknown programme', () => {
    given(initiativeDecider).when(submit({ unit: { status: 'none' } })).thenFails('UNIT_NOT_FOUND', 'not_found');
    given(initiativeDecider).when(submit({ unit: { ...(naRi as Exclude<typeof naRi, { status: 'none' }>), status: 'merged' } })).thenFails('UNIT_NOT_ACTIVE');
    given(initiativeDecider).when(submit({ program: { status: 'none' } })).thenFails('PROGRAM_NOT_FOUND', 'not_found');
  });

  it('refuses a second submission with the same id, and a submission dated in the future', () => {
    given(initiativeDecider, [submitted]).when(submit()).thenFails('INITIATIVE_ALREADY_EXISTS', 'conflict');
    given(initiativeDecider).when(submit({ submittedAt: '2022-06-16T00:00:00.000Z' })).thenFails('DATE_IN_FUTURE');
  });

  it('approves from submitted only, with the recognised value (or the declared one when none is given)', () => {
    given(initiativeDecider, [submitted])
      .when({ type: 'ApproveInitiative', approvedAt: '2022-06-10T02:00:00.000Z', benefitValue: 30_000_000n, decisionRef: 'QĐ-HĐSK-7', now })
      .then([approved]);
    given(initiativeDecider, [submitted])
      .when({ type: 'ApproveInitiative', approvedAt: '2022-06-10T02:00:00.000Z', benefitValue: null, decisionRef: 'QĐ-HĐSK-7', now })
      .then([{ ...approved, data: { ...approved.data, benefitValue: '25000000' } }]);
    given(initiativeDecider, [submitted, approved])
      .when({ type: 'ApproveInitiative', approvedAt: now, benefitValue: null, decisionRef: 'x', now })
      .thenFails('INITIATIVE_STATUS_FORBIDS');
  });

  it('refuses an approval or a rejection dated before the submission (submitted 2022-05-31T20:00Z)', () => {
    const error = given(initiativeDecider, [submitted])
      .when({ type: 'ApproveInitiative', approvedAt: '2022-05-31T19:59:59.000Z', benefitValue: null, decisionRef: 'QĐ-HĐSK-7', now })
      .thenFails('DECIDED_BEFORE_SUBMISSION');
    expect(error.details).toEqual({ field: 'approvedAt', submittedAt: '2022-05-31T20:00:00.000Z' });
    given(initiativeDecider, [submitted]).when({ type: 'RejectInitiative', rejectedAt: '2022-01-01T00:00:00.000Z', reason: 'x', now }).thenFails('DECIDED_BEFORE_SUBMISSION');
    given(initiativeDecider, [submitted])
      .when({ type: 'ApproveInitiative', approvedAt: '2022-05-31T20:00:00.000Z', benefitValue: null, decisionRef: 'QĐ-HĐSK-7', now })
      .then([{ ...approved, data: { ...approved.data, approvedAt: '2022-05-31T20:00:00.000Z', approvedOn: d('2022-06-01'), benefitValue: '25000000' } }]);
  });

  it('rejects from submitted only, never after approval', () => {
    given(initiativeDecider, [submitted])
      .when({ type: 'RejectInitiative', rejectedAt: now, reason: 'Trùng lặp', now })
      .then([{ type: 'InitiativeRejected', data: { ...ref, rejectedAt: now, rejectedOn: d('2022-06-15'), reason: 'Trùng lặp' } }]);
    given(initiativeDecider, [submitted, approved]).when({ type: 'RejectInitiative', rejectedAt: now, reason: 'x', now }).thenFails('INITIATIVE_STATUS_FORBIDS');
  });

  it('revokes an approval, and only an approval', () => {
    const [revoked] = given(initiativeDecider, [submitted, approved])
      .when({ type: 'RevokeApproval', reason: 'Đã được bảo hộ sở hữu trí tuệ', documentRef: 'QĐ-8', now })
      .then([
        {
          type: 'InitiativeApprovalRevoked',
          data: { ...ref, revokedAt: now, revokedOn: d('2022-06-15'), reason: 'Đã được bảo hộ sở hữu trí tuệ', documentRef: 'QĐ-8' },
        },
      ]);
    expect(initiativeDecider.evolve(initiativeDecider.evolve(initiativeDecider.evolve({ status: 'none' }, submitted), approved), revoked)).toMatchObject({
      status: 'revoked',
      recognisedValue: null,
    });
    given(initiativeDecider, [submitted]).when({ type: 'RevokeApproval', reason: 'x', documentRef: null, now }).thenFails('INITIATIVE_STATUS_FORBIDS');
  });

  it('withdraws a pending initiative only', () => {
    given(initiativeDecider, [submitted])
      .when({ type: 'WithdrawInitiative', reason: null, now })
      .then([{ type: 'InitiativeWithdrawn', data: { ...ref, withdrawnAt: now, withdrawnOn: d('2022-06-15'), reason: null } }]);
    given(initiativeDecider, [submitted, approved]).when({ type: 'WithdrawInitiative', reason: null, now }).thenFails('INITIATIVE_STATUS_FORBIDS');
  });

  it('corrects only the fields that change, keeping the application date inside the window', () => {
    given(initiativeDecider, [submitted])
      .when({ type: 'CorrectInitiative', changes: { title: 'Số hóa hồ sơ đoàn viên', benefitValue: 26_000_000n }, reason: 'nhập sai', program: bacKan, now })
      .then([{ type: 'InitiativeCorrected', data: { ...ref, changes: { benefitValue: '26000000' }, reason: 'nhập sai' } }]);
    given(initiativeDecider, [submitted])
      .when({ type: 'CorrectInitiative', changes: { title: 'Số hóa hồ sơ đoàn viên' }, reason: null, program: bacKan, now })
      .thenFails('NOTHING_TO_CORRECT');
    given(initiativeDecider, [submitted])
      .when({ type: 'CorrectInitiative', changes: { appliedOn: d('2020-01-01') }, reason: null, program: bacKan, now })
      .thenFails('APPLIED_OUTSIDE_ELIGIBILITY_WINDOW');
  });

  it('moves an initiative to another active unit', () => {
    const school = unitState(unitRegistered('thpt', 'grassroots', 'na-ri'));
    given(initiativeDecider, [submitted, approved])
      .when({ type: 'MoveInitiative', toUnitId: 'thpt', toUnit: school, reason: 'nhầm đơn vị', now })
      .then([{ type: 'InitiativeMoved', data: { ...ref, unitId: 'thpt', fromUnitId: 'na-ri', reason: 'nhầm đơn vị' } }]);
    given(initiativeDecider, [submitted]).when({ type: 'MoveInitiative', toUnitId: 'na-ri', toUnit: naRi, reason: null, now }).thenFails('INITIATIVE_ALREADY_THERE');
    given(initiativeDecider, [submitted]).when({ type: 'MoveInitiative', toUnitId: 'x', toUnit: { status: 'none' }, reason: null, now }).thenFails('UNIT_NOT_FOUND');
  });
});
