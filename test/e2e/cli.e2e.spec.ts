import { INestApplication } from '@nestjs/common';
import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { PROGRESS_PROJECTION_VERSION, READ_MODEL_STORE, SwitchingReadModelStore } from '@app/read-models';
import { adminTokenOf, createTestApp } from '../support/test-app';
import { BAC_KAN_PROGRAM, unitBody } from '../support/bac-kan';

jest.setTimeout(60_000);

const CLI = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, as an admin runs it, against the embedded service listening on a real port. */
describe('the admin and auditor CLI on the embedded default', () => {
  let app: INestApplication;
  let events: SqliteEventStore;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const cli = (...args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile(process.execPath, [CLI, ...args, '--url', url], { env: { ...process.env, API_URL: '', API_TOKEN: adminTokenOf(app) } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminTokenOf(app)}` }, body: JSON.stringify(body) });

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
    events = new SqliteEventStore(join(dir, 'events.db'));
    app = await createTestApp({ eventStore: { instance: events }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    url = url.replace('[::1]', '127.0.0.1');
    expect((await post('/programs', BAC_KAN_PROGRAM)).status).toBe(201);
    expect((await post('/units', unitBody('prov', 'province', null, 100))).status).toBe(201);
    expect((await post('/units', unitBody('na-ri', 'district', 'prov', 1000))).status).toBe(201);
  });
  afterAll(async () => {
    await app?.close();
  });

  const csv = [
    '\uFEFFid,unitId,title,authors,category,appliedOn,submittedAt,benefitValue,approvedAt,decisionRef,recognisedValue',
    'csv-1,na-ri,"Sáng kiến ""Số hóa"" hồ sơ",Nguyễn Văn A;Trần Thị B,technology,2022-03-01,2022-04-01T09:00:00+07:00,5000000,2022-04-20T09:00:00+07:00,QĐ 1/HĐSK,6000000',
    'csv-2,na-ri,"Cải tiến, tiết kiệm điện",Lê Văn C,technical,2022-03-02,2022-04-02T09:00:00+07:00,12000000000001,,,',
    ',prov,Không có mã,Phạm D,management,2022-03-03,2022-04-03T09:00:00+07:00,1,,,',
    'csv-4,ghost,Đơn vị không tồn tại,X,technical,2022-03-01,2022-04-01T09:00:00+07:00,1,,,',
    'csv-5,na-ri,Ngày sai,Y,technical,2022-02-30,2022-04-01T09:00:00+07:00,-3,,,',
  ].join('\r\n');

  it('imports a spreadsheet row by row, reports the rejected rows and why, and exits 1', async () => {
    const file = join(dir, 'initiatives.csv');
    const report = join(dir, 'report.csv');
    writeFileSync(file, csv);
    const run = await cli('import', file, '--program', 'bk-2022', '--report', report);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/import .*\[#+-*\]/);
    expect(run.stderr).toContain('3 imported, 0 already imported, 2 rejected');
    expect(run.stderr).toMatch(/line 5: 404 UNIT_NOT_FOUND/);
    expect(run.stderr).toMatch(/line 6: 400 VALIDATION_FAILED \(appliedOn: .*benefitValue: /);
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,status,id,reason');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['2,imported,csv-1', '3,imported,csv-2', expect.stringMatching(/^4,imported,[0-9a-f-]{36}$/), '5,rejected,csv-4', '6,rejected,csv-5']);
    const initiative = await (await fetch(`${url}/initiatives/csv-1?minPosition=${await events.headPosition()}`, { headers: { authorization: `Bearer ${adminTokenOf(app)}` } })).json();
    expect(initiative).toMatchObject({ title: 'Sáng kiến "Số hóa" hồ sơ', authors: ['Nguyễn Văn A', 'Trần Thị B'], status: 'approved', recognisedValue: '6000000' });
  });

  it('writes nothing twice when the same file is imported again', async () => {
    const head = await events.headPosition();
    const run = await cli('import', join(dir, 'initiatives.csv'), '--program', 'bk-2022');
    expect(run.stderr).toContain('0 imported, 3 already imported, 2 rejected');
    expect(await events.headPosition()).toBe(head);
  });

  it('exports progress as CSV', async () => {
    const out = join(dir, 'progress.csv');
    const run = await cli('export', '--program', 'bk-2022', '--phase', 'p1', '--out', out);
    expect(run.code).toBe(0);
    const [header, ...rows] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header.split(',').slice(0, 7)).toEqual(['programId', 'unitId', 'unitName', 'kind', 'parentId', 'phaseId', 'quota']);
    const naRi = rows.find((r) => r.startsWith('bk-2022,na-ri,'))!.split(',');
    expect(naRi[12]).toBe('1');
    expect(naRi[15]).toBe('6000000');
  });

  it('prints a unit’s history as CSV', async () => {
    const run = await cli('history', 'prov', '--program', 'bk-2022', '--subtree');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toContain('position,recordedAt,effectiveDate,type');
    expect(lines.some((l) => l.includes('InitiativeApproved') && l.includes('QĐ 1/HĐSK'))).toBe(true);
  });

  it('verifies, rebuilds and reports status with exit codes a script can trust', async () => {
    const clean = await cli('verify', '--all');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^consistent: \d+ documents/);
    expect(clean.stderr).toMatch(/verify: replaying the log/);

    const rebuilt = await cli('rebuild');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stderr).toMatch(/generation 2 is live/);
    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^progress\tversion ${PROGRESS_PROJECTION_VERSION}\tgeneration 2\tlive`));

    const store = app.get<SwitchingReadModelStore>(READ_MODEL_STORE);
    const unit = (await store.unit('na-ri'))!;
    await store.current.write({ progress: [], units: [{ ...unit, memberCount: 999 }], initiatives: [], programs: [] }, await store.checkpoint());
    const tampered = await cli('verify', '--all');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('INCONSISTENT: 1 difference(s)');
    expect(tampered.stdout).toContain('unit na-ri\tmemberCount\tread model: 999\treplay: 1000');
  });

  it('exports Vietnamese names, quotes and commas so that a CSV reader gets them back as they were', async () => {
    expect((await post('/units', { ...unitBody('cho-don', 'district', 'prov', 10), name: 'Công đoàn "Chợ Đồn", huyện' })).status).toBe(201);
    const head = await events.headPosition();
    await fetch(`${url}/units/cho-don?minPosition=${head}`, { headers: { authorization: `Bearer ${adminTokenOf(app)}` } });
    const run = await cli('export', '--program', 'bk-2022');
    expect(run.code).toBe(0);
    const rows = parse(run.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.find((r) => r.unitId === 'cho-don')).toMatchObject({ unitName: 'Công đoàn "Chợ Đồn", huyện', kind: 'district', parentId: 'prov' });
  });

  it('reports a row with too many or too few fields by its line, and goes on with the others', async () => {
    const file = join(dir, 'ragged.csv');
    writeFileSync(file, 'unitId,title,authors,category,appliedOn,benefitValue\r\nna-ri,Thiếu cột,Ngô E,technical\r\nna-ri,"Đủ, cột",Ngô E,technical,2022-03-05,1000\r\n');
    const run = await cli('import', file, '--program', 'bk-2022');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 imported, 0 already imported, 1 rejected');
    expect(run.stderr).toContain('line 2: has 4 fields, the header 6');
  });

  it('prints help (exit 0) and a completion script naming every command', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const command of ['status', 'rebuild', 'verify', 'history', 'import', 'export', 'reorganise']) expect(help.stdout).toContain(command);
    const completion = await cli('completion');
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain('complete -o default -F _omi_complete omi');
    expect(completion.stdout).toMatch(/history\) opts="--program --phase --subtree --from --to/);
  });

  it('reorganises from a provincial office\'s CSV: refused with every problem by step, previewed writing nothing, carried out once', async () => {
    expect((await post('/units', unitBody('cli-d', 'district', 'prov', 0))).status).toBe(201);
    expect((await post('/units', unitBody('cli-s', 'grassroots', 'cli-d', 35))).status).toBe(201);
    const plan = join(dir, 'plan.csv');
    const bad = join(dir, 'bad-plan.csv');
    writeFileSync(plan, ['action,unit,to,name,kind,members', 'register,gd-dt,prov,Công đoàn ngành Giáo dục và Đào tạo,sector,0', 'move,cli-s,gd-dt,,,', 'wind-up,cli-d,,,,'].join('\r\n'));
    writeFileSync(bad, ['action,unit,to,name,kind,members', 'wind-up,cli-d,,,,', 'move,ghost,prov,,,'].join('\n'));
    const document = ['--document', '15/QĐ-LĐLĐ', '--effective-on', '2025-07-01'];
    const head = await events.headPosition();
    const refused = await cli('reorganise', bad, ...document);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refused, nothing was written: 2 problem(s)');
    expect(refused.stderr).toMatch(/step 1 \(cli-d\): UNIT_HAS_ACTIVE_CHILDREN/);
    expect(refused.stderr).toMatch(/step 2 \(ghost\): UNIT_NOT_FOUND/);
    const dry = await cli('reorganise', plan, ...document, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('cli-s,cli-d,gd-dt,active,active');
    expect(dry.stdout).toContain('gd-dt,,prov,none,active');
    expect(dry.stdout).toMatch(/^prov,province,bk-2022,(\d+),\1,/m);
    expect(await events.headPosition()).toBe(head);
    const applied = await cli('reorganise', plan, ...document);
    expect(applied.code).toBe(0);
    expect(applied.stderr).toContain('3 steps carried out');
    const after = await events.headPosition();
    const again = await cli('reorganise', plan, ...document);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('was decided and carried out before: nothing written');
    expect(await events.headPosition()).toBe(after);
  });

  it('checks the hash chains and names the event edited in the file behind the service', async () => {
    expect((await post('/admin/integrity/seals', {})).status).toBe(201);
    const sealFile = join(dir, 'seals.json');
    writeFileSync(sealFile, await (await fetch(`${url}/audit/seals`, { headers: { authorization: `Bearer ${adminTokenOf(app)}` } })).text());
    const clean = await cli('verify', '--integrity', '--seal', sealFile);
    expect({ code: clean.code, stdout: clean.stdout.slice(0, 500), stderr: clean.stderr.slice(-500) }).toEqual({ code: 0, stdout: expect.stringMatching(/^intact/), stderr: expect.any(String) });
    expect(clean.stdout).toMatch(/^intact: \d+ events in \d+ streams/);
    const db = new Database(join(dir, 'events.db'));
    const approved = db.prepare<[], { position: number }>(`SELECT position FROM events WHERE stream_id = 'initiative-csv-1' AND revision = 1`).get()!;
    db.prepare(`UPDATE events SET data = json_set(data, '$.benefitValue', '60000000') WHERE position = ?`).run(approved.position);
    db.close();
    const tampered = await cli('verify', '--integrity');
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain(`BROKEN: content at stream initiative-csv-1, revision 1, position ${approved.position}`);
    expect(tampered.stdout).toContain('no seal holds');
  });

  it('exits 2 on usage errors and 3 when the service cannot be reached', async () => {
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('import')).code).toBe(2);
    expect((await cli('history', 'prov')).code).toBe(2);
    expect((await cli('verify')).code).toBe(2);
    const unreachable = await new Promise<Run>((resolve) =>
      execFile(process.execPath, [CLI, 'status', '--url', 'http://127.0.0.1:9'], (error, stdout, stderr) => resolve({ code: (error as { code?: number } | null)?.code ?? 0, stdout, stderr })),
    );
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('Cannot reach the service');
  });
});
