import { asLocalDate, membersOn, MoveUnit, unitDecider } from '@app/domain';
import { given } from '../../test/decider-spec';
import { unitRegistered, unitState } from '../../test/fixtures';

const d = asLocalDate;
const province = unitRegistered('bk', 'province', null, 12_000);
const naRi = unitRegistered('na-ri', 'district', 'bk');
const school = unitRegistered('thpt-na-ri', 'grassroots', 'na-ri');

const move = (toParentId: string, parentEvents: Parameters<typeof unitState>, parentAncestorIds: string[]): MoveUnit => ({
  type: 'MoveUnit',
  toParentId,
  parent: unitState(...parentEvents),
  parentAncestorIds,
  effectiveOn: d('2022-07-01'),
  documentRef: 'QĐ-12',
});

describe('unit decider', () => {
  it('registers a root unit and a child under an active parent', () => {
    given(unitDecider)
      .when({ type: 'RegisterUnit', ...province.data, parent: null })
      .then([province]);
    given(unitDecider)
      .when({ type: 'RegisterUnit', ...naRi.data, parent: unitState(province) })
      .then([naRi]);
  });

  it('refuses a parent that does not exist, is closed, or is a grassroots union', () => {
    given(unitDecider).when({ type: 'RegisterUnit', ...naRi.data, parent: unitState() }).thenFails('UNIT_NOT_FOUND', 'not_found');
    const closed = unitState(province, { type: 'UnitClosed', data: { unitId: 'bk', effectiveOn: d('2022-01-02'), documentRef: null, reason: null } });
    given(unitDecider).when({ type: 'RegisterUnit', ...naRi.data, parent: closed }).thenFails('UNIT_NOT_ACTIVE');
    given(unitDecider)
      .when({ type: 'RegisterUnit', ...unitRegistered('to', 'grassroots', 'thpt-na-ri').data, parent: unitState(school) })
      .thenFails('GRASSROOTS_HAS_NO_CHILDREN');
  });

  it('refuses registering the same unit twice', () => {
    given(unitDecider, [province]).when({ type: 'RegisterUnit', ...province.data, parent: null }).thenFails('UNIT_ALREADY_EXISTS', 'conflict');
  });

  it('re-parents a unit, refusing cycles: not under itself nor under its own descendant', () => {
    const sector = unitRegistered('gd-dt', 'sector', 'bk');
    given(unitDecider, [school])
      .when(move('gd-dt', [sector], ['bk']))
      .then([
        { type: 'UnitMoved', data: { unitId: 'thpt-na-ri', fromParentId: 'na-ri', toParentId: 'gd-dt', effectiveOn: d('2022-07-01'), documentRef: 'QĐ-12' } },
      ]);
    const subDistrict = unitRegistered('xa', 'district', 'na-ri');
    given(unitDecider, [naRi]).when(move('xa', [subDistrict], ['na-ri', 'bk'])).thenFails('UNIT_TREE_CYCLE');
    given(unitDecider, [naRi]).when(move('na-ri', [naRi], ['bk'])).thenFails('UNIT_TREE_CYCLE');
  });

  it('merges a grassroots union into another, after which it is inactive and sits under the survivor', () => {
    const other = unitRegistered('thcs-na-ri', 'grassroots', 'na-ri');
    const [merged] = given(unitDecider, [school])
      .when({ type: 'MergeUnit', intoUnitId: 'thcs-na-ri', parent: unitState(other), parentAncestorIds: ['na-ri', 'bk'], effectiveOn: d('2023-01-01'), documentRef: 'QĐ-99' })
      .then([
        {
          type: 'UnitMerged',
          data: { unitId: 'thpt-na-ri', intoUnitId: 'thcs-na-ri', fromParentId: 'na-ri', effectiveOn: d('2023-01-01'), documentRef: 'QĐ-99' },
        },
      ]);
    const after = unitDecider.evolve(unitState(school), merged);
    expect(after).toMatchObject({ status: 'merged', parentId: 'thcs-na-ri', mergedInto: 'thcs-na-ri' });
    given(unitDecider, [school, merged]).when({ type: 'RecordMemberCount', memberCount: 5, effectiveOn: d('2023-02-01') }).thenFails('UNIT_NOT_ACTIVE');
  });

  it('closes a unit once', () => {
    const closed = { type: 'UnitClosed' as const, data: { unitId: 'thpt-na-ri', effectiveOn: d('2023-01-01'), documentRef: 'QĐ-1', reason: 'giải thể' } };
    given(unitDecider, [school]).when({ type: 'CloseUnit', effectiveOn: d('2023-01-01'), documentRef: 'QĐ-1', reason: 'giải thể' }).then([closed]);
    given(unitDecider, [school, closed]).when({ type: 'CloseUnit', effectiveOn: d('2023-01-02'), documentRef: null, reason: null }).thenFails('UNIT_NOT_ACTIVE');
  });

  it('counts members in force on a date: first count since forever, later ones from their effective date', () => {
    const state = unitState(naRi, { type: 'MemberCountRecorded', data: { unitId: 'na-ri', memberCount: 150, effectiveOn: d('2022-06-01') } });
    if (state.status === 'none') throw new Error('unreachable');
    expect(membersOn(state.memberCounts, d('2020-01-01'))).toBe(100);
    expect(membersOn(state.memberCounts, d('2022-05-31'))).toBe(100);
    expect(membersOn(state.memberCounts, d('2022-06-01'))).toBe(150);
  });
});
