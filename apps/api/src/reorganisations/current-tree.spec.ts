import { asLocalDate } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { ProgrammeLog } from '../../../../libs/read-models/test/programme-log';
import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { CurrentTree } from './current-tree';

/** The tree a plan is checked against, read from the log: whole, up to the head, and without holding the service while it reads. */
describe('The current unit tree', () => {
  let store: SqliteEventStore;
  beforeAll(async () => {
    store = new SqliteEventStore(':memory:');
    // A province, 2,500 grassroots unions under it with member counts and programme events between: several pages of unit events.
    const log = new ProgrammeLog('vn-2022').launchBacKan().unit('tinh', 'province', null, 0);
    for (let i = 0; i < 2500; i++) log.unit(`cs-${i}`, 'grassroots', 'tinh', 10).members(`cs-${i}`, 20 + (i % 7), '2023-01-01');
    log.unit('tinh-2', 'province', null, 0).move('cs-7', 'tinh', 'tinh-2');
    await log.appendTo(store);
  });
  afterAll(() => store.close());

  it('is every unit as its events leave it, at the log head, and lets other work run while it is read', async () => {
    const { turns, result: { tree, position } } = await turnsDuring(() => new CurrentTree(store).load());
    expect(position).toBe(await store.headPosition());
    expect([...tree.all()]).toHaveLength(2502);
    expect(tree.get('cs-7')).toMatchObject({ status: 'active', parentId: 'tinh-2' });
    expect(tree.subtreeMembers('tinh', asLocalDate('2023-06-01'))).toBe(2499 * 20 + [...Array(2500).keys()].filter((i) => i !== 7).reduce((sum, i) => sum + (i % 7), 0));
    expect(turns).toBeGreaterThanOrEqual(4);
  });
});
