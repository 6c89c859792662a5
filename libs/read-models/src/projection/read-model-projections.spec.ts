import { DOMAIN_EVENT_TYPES } from '@app/domain';
import { InitiativeDoc } from '../initiatives/initiative-doc';
import { ProgressRow } from '../progress/progress-row';
import { ReadModelProjections } from './read-model-projections';
import { ProgrammeLog } from '../../test/programme-log';

/** Runs the log through a fresh projection and indexes the rows by unit and phase. */
function project(log: ProgrammeLog) {
  const projection = new ReadModelProjections();
  for (const event of log.positioned()) projection.apply(event);
  const changes = projection.flush();
  const row = (unitId: string, phaseId: string): ProgressRow => {
    const found = changes.progress.find((r) => r.unitId === unitId && r.phaseId === phaseId);
    if (!found) throw new Error(`no row ${unitId}/${phaseId}`);
    return found;
  };
  return { changes, row, projection };
}

const tree = () =>
  new ProgrammeLog('bk')
    .launchBacKan()
    .unit('prov', 'province', null, 100)
    .unit('na-ri', 'district', 'prov', 200)
    .unit('school', 'grassroots', 'na-ri', 300)
    .unit('gd', 'sector', 'prov', 400);

describe('progress projection', () => {
  it('reproduces the article: phase-1 quotas adding up to 600, 1,539 approved → 256.5 %, 939 over, over 10 billion VND', () => {
    const log = new ProgrammeLog('bk').launchBacKan().unit('bac-kan', 'province', null, 0);
    // Twelve subordinate units, 12,000 members in all; the letter 1144/LĐLĐ-CTCS assigns 50 each for phase 1.
    for (let u = 0; u < 12; u++) log.unit(`u${u}`, u < 2 ? 'sector' : 'district', 'bac-kan', 1000).quota(`u${u}`, 'p1', 50);
    for (let i = 0; i < 1539; i++) {
      const unit = `u${i % 12}`;
      const day = String(1 + (i % 28)).padStart(2, '0');
      const month = ['02', '03', '04', '05'][i % 4];
      log.submit(`sk${i}`, unit, `2022-${month}-${day}T03:00:00Z`, '6500000').approve(`sk${i}`, unit, `2022-06-${day}T03:00:00Z`, '6500000');
    }
    const { row } = project(log);
    const p1 = row('bac-kan', 'p1');
    expect(p1).toMatchObject({ quota: 600, quotaSource: 'default', counted: 1539, approved: 1539, attainmentPercent: 256.5, excess: 939, benefitValue: '10003500000' });
    expect(BigInt(p1.benefitValue) > 10_000_000_000n).toBe(true);
    expect(p1.own).toEqual({ submitted: 0, approved: 0, counted: 0, benefitValue: '0' });
    expect(row('u0', 'p1')).toMatchObject({ quota: 50, quotaSource: 'assigned', counted: 129, excess: 79, attainmentPercent: 258 });
    expect(row('bac-kan', 'p2').counted).toBe(0);
    expect(row('bac-kan', 'all')).toMatchObject({ quota: 1800, counted: 1539 });
  });

  it('counts approved initiatives on the local date they were submitted, own and rolled up', () => {
    const { row } = project(
      tree()
        .submit('a', 'school', '2022-03-01T02:00:00Z', '100')
        .approve('a', 'school', '2022-03-05T02:00:00Z', '150')
        .submit('b', 'school', '2022-03-02T02:00:00Z', '100')
        .submit('c', 'na-ri', '2022-03-03T02:00:00Z', '100')
        .reject('c', 'na-ri'),
    );
    expect(row('school', 'p1')).toMatchObject({ submitted: 2, approved: 1, pending: 1, rejected: 0, counted: 1, benefitValue: '150', own: { submitted: 2, approved: 1, counted: 1, benefitValue: '150' } });
    expect(row('na-ri', 'p1')).toMatchObject({ submitted: 3, approved: 1, pending: 1, rejected: 1, counted: 1, benefitValue: '150', own: { submitted: 1, approved: 0, counted: 0, benefitValue: '0' } });
    expect(row('prov', 'p1')).toMatchObject({ submitted: 3, counted: 1 });
    expect(row('gd', 'p1')).toMatchObject({ submitted: 0, counted: 0 });
    expect(row('prov', 'all')).toMatchObject({ submitted: 3, counted: 1, benefitValue: '150' });
  });

  it('counts a retroactive approval (submitted in phase 1, approved in phase 2) in phase 1', () => {
    const { row } = project(tree().submit('a', 'school', '2022-05-20T02:00:00Z').approve('a', 'school', '2022-07-01T02:00:00Z', '10'));
    expect(row('school', 'p1')).toMatchObject({ counted: 1, approved: 1 });
    expect(row('school', 'p2')).toMatchObject({ counted: 0, submitted: 0 });
  });

  it('dates by Vietnam time: submitted 2022-05-31T20:00Z counts in phase 2', () => {
    const { row, changes } = project(tree().submit('a', 'school', '2022-05-31T20:00:00Z').approve('a', 'school', '2022-06-02T02:00:00Z', '10'));
    expect(row('school', 'p1').counted).toBe(0);
    expect(row('school', 'p2')).toMatchObject({ counted: 1, reachedQuotaOn: null });
    expect(changes.initiatives[0]).toMatchObject({ submittedOn: '2022-06-01', phaseId: 'p2' });
  });

  it('takes a revoked approval out of counted and benefit, and counts it as rejected', () => {
    const { row } = project(tree().submit('a', 'school', '2022-03-01T02:00:00Z').approve('a', 'school', '2022-03-02T02:00:00Z', '500').revoke('a', 'school'));
    expect(row('school', 'p1')).toMatchObject({ submitted: 1, approved: 0, rejected: 1, counted: 0, benefitValue: '0' });
  });

  it('counts withdrawn initiatives as withdrawn, never counted', () => {
    const { row } = project(tree().submit('a', 'school', '2022-03-01T02:00:00Z').withdraw('a', 'school'));
    expect(row('school', 'p1')).toMatchObject({ submitted: 1, pending: 0, withdrawn: 1, counted: 0 });
  });

  it('moves an initiative with its figures to another unit', () => {
    const { row, changes } = project(
      tree().submit('a', 'school', '2022-03-01T02:00:00Z').approve('a', 'school', '2022-03-02T02:00:00Z', '70').moveInitiative('a', 'school', 'gd'),
    );
    expect(row('school', 'p1')).toMatchObject({ submitted: 0, counted: 0, benefitValue: '0' });
    expect(row('na-ri', 'p1')).toMatchObject({ counted: 0 });
    expect(row('gd', 'p1')).toMatchObject({ counted: 1, benefitValue: '70', own: { counted: 1 } });
    expect(row('prov', 'p1')).toMatchObject({ counted: 1 });
    expect(changes.initiatives[0]).toMatchObject({ unitId: 'gd', unitPath: ['prov', 'gd'] });
  });

  it('uses an explicit quota over the default, and the latest assignment', () => {
    const log = tree().quota('school', 'p1', 40).quota('school', 'p1', 55, 40).quota('school', null, 100);
    const { row } = project(log);
    expect(row('school', 'p1')).toMatchObject({ quota: 55, quotaSource: 'assigned', excess: -55, attainmentPercent: 0 });
    expect(row('school', 'all')).toMatchObject({ quota: 100, quotaSource: 'assigned' });
    expect(row('school', 'p2')).toMatchObject({ quota: 12, quotaSource: 'default' });
  });

  it('derives default quotas from the subtree members in force at each phase start', () => {
    // prov subtree: 100 + 200 + 300 + 400 = 1,000 members; phase 1 at 5 % → 50, phase 2 at 4 % → 40.
    // From 2022-06-01 the school has 800 members: the subtree has 1,500 at the start of phase 2 → 60.
    const { row } = project(tree().members('school', 800, '2022-06-01'));
    expect(row('prov', 'p1').quota).toBe(50);
    expect(row('prov', 'p2').quota).toBe(60);
    expect(row('na-ri', 'p2').quota).toBe(40);
    expect(row('school', 'p1').quota).toBe(15);
    // Whole programme: 15 % of the members at the first phase start (1,000).
    expect(row('prov', 'all').quota).toBe(150);
  });

  it('a quota of 0 has no attainment and is never reached', () => {
    const { row } = project(tree().quota('gd', 'p1', 0));
    expect(row('gd', 'p1')).toMatchObject({ quota: 0, attainmentPercent: null, reachedQuotaOn: null, finishedEarly: false, excess: 0 });
  });

  it('finds the date the quota was reached, and whether that was before the phase end', () => {
    const log = tree().quota('school', 'p1', 2);
    log.submit('a', 'school', '2022-02-10T02:00:00Z').approve('a', 'school', '2022-06-10T02:00:00Z', '1');
    log.submit('b', 'school', '2022-03-15T02:00:00Z').approve('b', 'school', '2022-06-10T02:00:00Z', '1');
    log.submit('c', 'school', '2022-03-01T02:00:00Z').approve('c', 'school', '2022-06-10T02:00:00Z', '1');
    const { row } = project(log);
    expect(row('school', 'p1')).toMatchObject({ counted: 3, reachedQuotaOn: '2022-03-01', finishedEarly: true });
  });

  it('re-attaches a moved unit with its whole history to its new parent', () => {
    const log = tree().submit('a', 'school', '2022-03-01T02:00:00Z').approve('a', 'school', '2022-03-02T02:00:00Z', '9').move('school', 'na-ri', 'gd');
    const { row, changes } = project(log);
    expect(row('na-ri', 'p1')).toMatchObject({ counted: 0, quota: 10 });
    expect(row('gd', 'p1')).toMatchObject({ counted: 1, benefitValue: '9', quota: 35 });
    expect(row('prov', 'p1')).toMatchObject({ counted: 1, quota: 50 });
    expect(row('school', 'p1')).toMatchObject({ parentId: 'gd', path: ['prov', 'gd', 'school'] });
    expect(changes.units.find((u) => u.unitId === 'school')).toMatchObject({ parentId: 'gd', path: ['prov', 'gd', 'school'] });
    expect(changes.initiatives[0].unitPath).toEqual(['prov', 'gd', 'school']);
  });

  it('rolls a merged unit into the survivor; its members stop counting from the merge date', () => {
    const log = new ProgrammeLog('bk')
      .launchBacKan()
      .unit('prov', 'province', null, 0)
      .unit('a', 'grassroots', 'prov', 100)
      .unit('b', 'grassroots', 'prov', 100)
      .submit('x', 'a', '2022-03-01T02:00:00Z')
      .approve('x', 'a', '2022-03-02T02:00:00Z', '5')
      .merge('a', 'prov', 'b', '2022-06-01');
    const { row, changes } = project(log);
    expect(row('b', 'p1')).toMatchObject({ counted: 1, quota: 10, own: { counted: 0 } });
    expect(row('b', 'p2')).toMatchObject({ quota: 4 });
    expect(row('prov', 'p1')).toMatchObject({ counted: 1 });
    expect(changes.units.find((u) => u.unitId === 'a')).toMatchObject({ status: 'merged', mergedInto: 'b', parentId: 'b', memberCount: 0 });
  });

  it('excludes a closed unit from default quotas from its closing date', () => {
    const { row } = project(tree().close('gd', '2022-06-01'));
    expect(row('prov', 'p1').quota).toBe(50);
    expect(row('prov', 'p2').quota).toBe(24);
  });

  it('applies corrections to the figures (benefit, application date leaving the window)', () => {
    const log = tree().submit('a', 'school', '2022-03-01T02:00:00Z').approve('a', 'school', '2022-03-02T02:00:00Z', '100').correct('a', 'school', { title: 'Tên mới' });
    expect(project(log).row('school', 'p1')).toMatchObject({ counted: 1, benefitValue: '100' });
    expect(project(log).changes.initiatives[0]).toMatchObject({ title: 'Tên mới', searchText: 'ten moi nguyen van duc' });
  });

  it('gives rows for every unit and every phase plus the whole programme, even without initiatives', () => {
    const { changes } = project(tree());
    expect(changes.progress).toHaveLength(4 * 4);
    expect(new Set(changes.progress.map((r) => r.phaseId))).toEqual(new Set(['p1', 'p2', 'p3', 'all']));
  });

  it('marks rule changes as pending a rebuild, and keeps counting under the rules it started with', () => {
    const log = tree().submit('a', 'school', '2022-05-20T02:00:00Z').approve('a', 'school', '2022-07-01T02:00:00Z', '1').countingRule('approved', 'approvedAt');
    const { row, changes } = project(log);
    expect(row('school', 'p1').counted).toBe(1);
    expect(changes.programs[0]).toMatchObject({ rulesVersion: 1, latestRulesVersion: 2 });
  });

  it('is the same whether events arrive in one batch or flushed one by one', () => {
    const log = tree()
      .submit('a', 'school', '2022-03-01T02:00:00Z')
      .approve('a', 'school', '2022-03-02T02:00:00Z', '5')
      .move('school', 'na-ri', 'gd')
      .members('gd', 10, '2022-02-01')
      .submit('b', 'gd', '2022-07-01T02:00:00Z')
      .moveInitiative('a', 'school', 'na-ri');
    const once = project(log).changes;
    const stepwise = new ReadModelProjections();
    const latest = new Map<string, unknown>();
    const stored = new Map<string, InitiativeDoc>();
    for (const event of log.positioned()) {
      stepwise.apply(event);
      const c = stepwise.flush(stored);
      for (const r of c.progress) latest.set(`${r.unitId}/${r.phaseId}`, r);
      for (const d of c.initiatives) stored.set(d.initiativeId, d);
    }
    for (const r of once.progress) expect(latest.get(`${r.unitId}/${r.phaseId}`)).toEqual(r);
    for (const d of once.initiatives) expect(stored.get(d.initiativeId)).toEqual(d);
  });
});

describe('initiative descriptions kept between batches (bounded)', () => {
  it('renders a batch whose initiatives outnumber the recent descriptions, looking the rest up, and ends as one pass does', () => {
    const log = tree();
    for (let i = 0; i < 6; i++) log.submit(`i${i}`, 'school', `2022-03-0${1 + i}T02:00:00Z`, '100', { title: `Sáng kiến ${i}` });
    const submissions = log.positioned();
    for (let i = 0; i < 6; i++) log.approve(`i${i}`, 'school', '2022-04-01T02:00:00Z', '90');
    const decisions = log.positioned().slice(submissions.length);

    const stored = new Map<string, InitiativeDoc>();
    const batched = new ReadModelProjections(undefined, { recentDescriptions: 2 });
    for (const event of submissions) batched.apply(event);
    for (const doc of batched.flush().initiatives) stored.set(doc.initiativeId, doc);
    for (const event of decisions) batched.apply(event);
    // Two descriptions are still recent: those four must come from the stored documents.
    const lookUp = batched.initiativesToLookUp();
    expect(lookUp.sort()).toEqual(['i0', 'i1', 'i2', 'i3']);
    const second = batched.flush(new Map(lookUp.map((id) => [id, stored.get(id)!])));

    const { changes } = project(log);
    expect(second.initiatives).toEqual(changes.initiatives);
  });
});

describe('one projection per read model', () => {
  const batchAfter = (log: ProgrammeLog, more: (log: ProgrammeLog) => ProgrammeLog) => {
    const projections = new ReadModelProjections();
    const before = log.positioned().length;
    for (const event of log.positioned()) projections.apply(event);
    projections.flush();
    for (const event of more(log).positioned().slice(before)) projections.apply(event);
    return projections.flush();
  };

  it('every domain event type is taken by at least one of them', () => {
    const projections = new ReadModelProjections();
    const taken = new Set([projections.progress, projections.units, projections.initiatives, projections.programs].flatMap((p) => [...p.handles]));
    expect([...DOMAIN_EVENT_TYPES].filter((type) => !taken.has(type))).toEqual([]);
  });

  it('a rule change re-renders the programme only: no figure moves until a rebuild', () => {
    const changes = batchAfter(tree().submit('a', 'school', '2022-03-01T02:00:00Z'), (log) => log.amendPhase('p1', '2022-01-01', '2022-05-31', 20));
    expect(changes.programs.map((p) => [p.programId, p.rulesVersion, p.latestRulesVersion])).toEqual([['bk', 1, 2]]);
    expect([changes.progress.length, changes.units.length, changes.initiatives.length]).toEqual([0, 0, 0]);
  });

  it('a decision on an initiative re-renders that initiative and the rows of its unit’s chain in its phase, no unit or programme', () => {
    const changes = batchAfter(tree().submit('a', 'school', '2022-03-01T02:00:00Z'), (log) => log.approve('a', 'school', '2022-03-02T02:00:00Z', '5'));
    expect(changes.initiatives.map((d) => [d.initiativeId, d.status])).toEqual([['a', 'approved']]);
    expect(changes.progress.map((r) => `${r.unitId}/${r.phaseId}`).sort()).toEqual(['na-ri/all', 'na-ri/p1', 'prov/all', 'prov/p1', 'school/all', 'school/p1']);
    expect([changes.units.length, changes.programs.length]).toEqual([0, 0]);
  });

  it('a move re-renders the units below, their initiatives’ paths and every row of both chains', () => {
    const changes = batchAfter(tree().submit('a', 'school', '2022-03-01T02:00:00Z'), (log) => log.move('na-ri', 'prov', 'gd'));
    expect(changes.units.map((u) => [u.unitId, u.path.join('/')])).toEqual([['na-ri', 'prov/gd/na-ri'], ['school', 'prov/gd/na-ri/school']]);
    expect(changes.initiatives.map((d) => [d.initiativeId, d.unitPath.join('/'), d.everUnitPath.join('/')])).toEqual([['a', 'prov/gd/na-ri/school', 'gd/na-ri/prov/school']]);
    expect(new Set(changes.progress.map((r) => r.unitId))).toEqual(new Set(['prov', 'gd', 'na-ri', 'school']));
    expect(changes.programs).toEqual([]);
  });
});
