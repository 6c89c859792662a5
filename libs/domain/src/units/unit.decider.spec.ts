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
    given(unitDecider, [school]).when({ type: 'CloseUnit', effectiveOn: d('2023-01-01'), documentRef: 'QĐ-1', reason: 'giải thể', activeChildIds: [] }).then([closed]);
    given(unitDecider, [school, closed])
      .when({ type: 'CloseUnit', effectiveOn: d('2023-01-02'), documentRef: null, reason: null, activeChildIds: [] })
      .thenFails('UNIT_NOT_ACTIVE');
  });

  it('refuses to close a unit that still has active subordinate units, naming them', () => {
    const error = given(unitDecider, [naRi])
      .when({ type: 'CloseUnit', effectiveOn: d('2025-07-01'), documentRef: 'QĐ-2025', reason: null, activeChildIds: ['thpt-na-ri'] })
      .thenFails('UNIT_HAS_ACTIVE_CHILDREN');
    expect(error.details).toEqual({ activeChildIds: ['thpt-na-ri'] });
  });

  describe('the tree’s shape: province a root; sector and district under a province; grassroots under any of those', () => {
    const register = (kind: 'province' | 'sector' | 'district' | 'grassroots', parent: ReturnType<typeof unitRegistered> | null) => ({
      type: 'RegisterUnit' as const,
      ...unitRegistered('new', kind, parent ? parent.data.unitId : null).data,
      parent: parent ? unitState(parent) : null,
    });
    const sector = unitRegistered('gd-dt', 'sector', 'bk');

    it('accepts every allowed place', () => {
      for (const [kind, parent] of [
        ['province', null],
        ['sector', province],
        ['district', province],
        ['grassroots', province],
        ['grassroots', sector],
        ['grassroots', naRi],
      ] as const) {
        expect(unitDecider.decide(register(kind, parent), unitState())).toHaveLength(1);
      }
    });

    it('refuses a province under anything, and a district, sector or grassroots union as a root or in the wrong place', () => {
      for (const [kind, parent] of [
        ['province', naRi],
        ['province', province],
        ['district', null],
        ['sector', null],
        ['grassroots', null],
        ['district', naRi],
        ['district', sector],
        ['sector', naRi],
      ] as const) {
        given(unitDecider).when(register(kind, parent)).thenFails('UNIT_TREE_SHAPE');
      }
    });

    it('refuses moves that break the shape, after the cycle check', () => {
      const otherProvince = unitRegistered('cao-bang', 'province', null);
      given(unitDecider, [naRi]).when(move('cao-bang', [otherProvince], [])).then([
        { type: 'UnitMoved', data: { unitId: 'na-ri', fromParentId: 'bk', toParentId: 'cao-bang', effectiveOn: d('2022-07-01'), documentRef: 'QĐ-12' } },
      ]);
      given(unitDecider, [naRi]).when(move('gd-dt', [sector], ['bk'])).thenFails('UNIT_TREE_SHAPE');
      given(unitDecider, [province]).when(move('cao-bang', [otherProvince], [])).thenFails('UNIT_TREE_SHAPE');
    });

    it('merges a unit into one of its kind or into one that could be its parent, and nothing else', () => {
      const merge = (into: ReturnType<typeof unitRegistered>) => ({
        type: 'MergeUnit' as const,
        intoUnitId: into.data.unitId,
        parent: unitState(into),
        parentAncestorIds: into.data.parentId ? [into.data.parentId] : [],
        effectiveOn: d('2025-07-01'),
        documentRef: 'NQ-60',
      });
      const otherProvince = unitRegistered('cao-bang', 'province', null);
      expect(unitDecider.decide(merge(otherProvince), unitState(province))).toHaveLength(1);
      expect(unitDecider.decide(merge(otherProvince), unitState(naRi))).toHaveLength(1);
      given(unitDecider, [naRi]).when(merge(sector)).thenFails('UNIT_TREE_SHAPE');
      given(unitDecider, [province]).when(merge(unitRegistered('ha-quang', 'district', 'cao-bang'))).thenFails('UNIT_TREE_SHAPE');
    });
  });

  it('counts members in force on a date: first count since forever, later ones from their effective date', () => {
    const state = unitState(naRi, { type: 'MemberCountRecorded', data: { unitId: 'na-ri', memberCount: 150, effectiveOn: d('2022-06-01') } });
    if (state.status === 'none') throw new Error('unreachable');
    expect(membersOn(state.memberCounts, d('2020-01-01'))).toBe(100);
    expect(membersOn(state.memberCounts, d('2022-05-31'))).toBe(100);
    expect(membersOn(state.memberCounts, d('2022-06-01'))).toBe(150);
  });
});
