import { ProgrammeLog } from './programme-log';

/** Initiatives moved in and out, units moved in and out, a merge, member counts, quotas and a revocation: what a unit's history must follow. */
export function historyRichLog(): ProgrammeLog {
  return new ProgrammeLog('bk')
    .launchBacKan()
    .unit('prov', 'province', null, 10)
    .unit('a', 'district', 'prov', 200)
    .unit('b', 'district', 'prov', 300)
    .unit('a1', 'grassroots', 'a', 40)
    .unit('b1', 'grassroots', 'b', 60)
    .unit('b2', 'grassroots', 'b', 50)
    .quota('a', 'p1', 3)
    .submit('i1', 'a1', '2022-02-01T02:00:00Z')
    .approve('i1', 'a1', '2022-02-02T02:00:00Z', '100')
    .submit('i2', 'b1', '2022-02-03T02:00:00Z')
    .approve('i2', 'b1', '2022-02-04T02:00:00Z', '200')
    .submit('i3', 'a1', '2022-02-05T02:00:00Z')
    .moveInitiative('i3', 'a1', 'b2')
    .approve('i3', 'b2', '2022-02-06T02:00:00Z', '300')
    .submit('i4', 'b2', '2022-03-01T02:00:00Z')
    .moveInitiative('i4', 'b2', 'a1')
    .approve('i4', 'a1', '2022-03-02T02:00:00Z', '400')
    .move('b1', 'b', 'a')
    .members('b1', 90, '2022-06-01')
    .submit('i5', 'b1', '2022-07-01T02:00:00Z')
    .approve('i5', 'b1', '2022-07-02T02:00:00Z', '500')
    .merge('b2', 'b', 'a1', '2022-08-01')
    .revoke('i2', 'b1')
    .quota('a', 'p1', 5, 3);
}
