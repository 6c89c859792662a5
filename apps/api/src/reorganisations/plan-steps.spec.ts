import { turnsDuring } from '../../../../test/support/event-loop-turns';
import { rawStepsOfCsv } from './plan-steps';

/** A plan's CSV read a part at a time (see csvRows): the steps must be those of the whole text, in order, whatever the cuts. */
describe("A plan's CSV", () => {
  // Quoted names with commas, quotes and a line break inside, long enough for many parts.
  const lines = Array.from({ length: 6000 }, (_, i) =>
    i % 3 === 0 ? `register,cs-moi-${i},tinh-${i % 34},"Công đoàn ""Sáng kiến"" số ${i}, phường ${i}\nkhu ${i}",grassroots,${i}` : `move,cs-${i},tinh-${i % 34},,,`,
  );
  const csv = `\uFEFFaction,unit,to,name,kind,members\n${lines.join('\r\n')}\n`;

  it('gives every step in order, each field whole, across the parts it is read in', async () => {
    expect(csv.length).toBeGreaterThan(8 * 16 * 1024);
    const { raw, problems } = await rawStepsOfCsv(csv);
    expect(problems).toEqual([]);
    expect(raw).toHaveLength(6000);
    expect(raw[0]).toEqual({ action: 'register', unitId: 'cs-moi-0', to: 'tinh-0', name: 'Công đoàn "Sáng kiến" số 0, phường 0\nkhu 0', kind: 'grassroots', members: '0' });
    expect(raw[1]).toEqual({ action: 'move', unitId: 'cs-1', to: 'tinh-1', name: undefined, kind: undefined, members: undefined });
    expect(raw[2997]!.name).toBe('Công đoàn "Sáng kiến" số 2997, phường 2997\nkhu 2997');
    expect(raw.map((r) => r.unitId)).toEqual(lines.map((_, i) => (i % 3 === 0 ? `cs-moi-${i}` : `cs-${i}`)));
  });

  it('lets other work run while it is read', async () => {
    const { turns, result } = await turnsDuring(() => rawStepsOfCsv(csv));
    expect(result.raw).toHaveLength(6000);
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('that cannot be read is refused with the reason, at any part', async () => {
    const unclosed = `${csv}move,"cs-x,tinh-1,,,\n`;
    const { raw, problems } = await rawStepsOfCsv(unclosed);
    expect(raw).toEqual([]);
    expect(problems).toEqual([{ step: 0, unitId: '', code: 'PLAN_CSV_MALFORMED', message: expect.stringMatching(/^The CSV cannot be read: .*quote/i) }]);
  });

  it('whose header is wrong is refused naming the columns', async () => {
    const { problems } = await rawStepsOfCsv('action,unit,whereto\nmove,cs-1,tinh-1\n');
    expect(problems).toEqual([{ step: 0, unitId: '', code: 'PLAN_CSV_MALFORMED', message: "The CSV's header must be action,unit,to,name,kind,members: unknown column(s) whereto" }]);
  });
});
