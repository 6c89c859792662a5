import { INestApplication } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { SqliteEventStore } from '@app/event-store';
import { adminTokenOf, authorized, createTestApp, issueKey } from '../support/test-app';
import { BAC_KAN_PROGRAM, initiativeBody } from '../support/bac-kan';
import { BAC_KAN_UNITS, bacKanInitiatives } from '../support/bac-kan-dashboard';
import { launchChromium } from '../support/chromium';
import { see } from '../support/see';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts', 'dashboard');
const PROGRAM = BAC_KAN_PROGRAM.id;

/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core), against the embedded
 * service seeded with the article's phase-1 figures: 1,539 approved initiatives of Bắc Kạn's units
 * against a quota of 600, worth 10,003,500,000 đ.
 */
describe('the dashboard, in Chromium', () => {
  let app: INestApplication;
  let events: SqliteEventStore;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let url: string;
  /** Every API call of the setup goes through here: credentials are added in this one place. */
  const api = () => authorized(app);
  let readerToken: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    events = new SqliteEventStore(':memory:');
    app = await createTestApp({ eventStore: { instance: events }, readModels: { readModel: { kind: 'sqlite', path: ':memory:' }, projector: { embedded: true } } });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');

    await api().post('/programs').send(BAC_KAN_PROGRAM).expect(201);
    for (const u of BAC_KAN_UNITS) await api().post('/units').send({ id: u.id, name: u.name, kind: u.kind, parentId: u.parentId, memberCount: u.memberCount, effectiveOn: '2022-01-01' }).expect(201);
    await api().post(`/programs/${PROGRAM}/quotas`).send({ unitId: 'pac-nam', phaseId: 'p1', quota: 45, documentRef: '1144/LĐLĐ-CTCS' }).expect(201);
    // The history of the bulk, as the command side records it; one initiative of Chợ Đồn through the API, with its decision.
    await bacKanInitiatives(PROGRAM, { 'cs-xi-mang': 1 }).appendTo(events);
    const officer = await issueKey(app, 'can-bo.hoa', [{ role: 'officer', unitId: 'bac-kan' }]);
    const council = await issueKey(app, 'hoi-dong.sang-kien', [{ role: 'council', unitId: 'bac-kan' }]);
    // Held everywhere: the overview reads the whole programme, which a role scoped to one province may not.
    readerToken = await issueKey(app, 'doc-gia', [{ role: 'reader', unitId: null }]);
    await authorized(app, officer).post('/initiatives').send(initiativeBody('sk-xi-mang-dac-biet', 'cs-xi-mang', { title: 'Sáng kiến số hóa hồ sơ đoàn viên', benefitValue: '6500000', submittedAt: '2022-05-20T02:00:00Z' })).expect(201);
    const approved = await authorized(app, council).post('/initiatives/sk-xi-mang-dac-biet/approve').send({ decisionRef: 'QĐ 15/QĐ-HĐSK', approvedAt: '2022-05-25T02:00:00Z' }).expect(200);
    await api().get(`/programs/${PROGRAM}`).query({ minPosition: approved.body.position }).expect(200);

    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  /** A browser signed in with this key, as if pasted once at sign-in (the page keeps it in localStorage). */
  const signedIn = async (token: string | null) => {
    await context?.close();
    context = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', viewport: { width: 1280, height: 900 } });
    if (token !== null) await context.addInitScript({ content: `localStorage.getItem('omi.apiToken') ?? localStorage.setItem('omi.apiToken', ${JSON.stringify(token)});` });
    page = await context.newPage();
  };
  beforeEach(async () => {
    await signedIn(adminTokenOf(app));
  });
  afterEach(async () => {
    await context?.close();
  });

  const open = async (hash: string) => {
    await page.goto(`${url}/${hash}`);
    await see(page.locator('main')).toHaveAttribute('aria-busy', 'false');
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('serves the page and its assets at / with their content types, beside the API', async () => {
    const index = await api().get('/').expect(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.text).toContain('<html lang="vi">');
    expect((await api().get('/assets/app.js').expect(200)).headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect((await api().get('/assets/vendor/chart.js/chart.umd.min.js').expect(200)).headers['content-type']).toMatch(/javascript/);
    await api().get('/units/bac-kan').expect(200);
    await api().get('/no-such-file.js').expect(404);
  });

  it('lists the programmes and answers one, with its phases, for the page to start from', async () => {
    const list = await api().get('/programs').expect(200);
    expect(list.body.items.map((p: { programId: string }) => p.programId)).toEqual([PROGRAM]);
    const one = await api().get(`/programs/${PROGRAM}`).expect(200);
    expect(one.body).toMatchObject({ programId: PROGRAM, name: BAC_KAN_PROGRAM.name, targetPercent: 15, rulesVersion: 1, stale: false, position: expect.stringMatching(/^\d+$/) });
    expect(one.body.phases).toEqual(BAC_KAN_PROGRAM.phases);
    const missing = await api().get('/programs/khong-co').expect(404);
    expect(missing.body.code).toBe('PROGRAM_NOT_FOUND');
    expect((await api().get('/programs').query({ sort: 'x' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('overview: 1.539 counted of 600 in phase 1, 256,5 %, vượt 939, benefit over 10 tỷ đồng, a chart per phase', async () => {
    const started = Date.now();
    await open('#/');
    const phase1 = page.locator('.card[data-phase="p1"]');
    await see(phase1).toContainText('Giai đoạn 1');
    await see(phase1).toContainText('26/01/2022 – 31/05/2022');
    await see(phase1.locator('.counted')).toHaveText('1.539');
    await see(phase1.locator('.quota')).toHaveText('600');
    await see(phase1).toContainText('256,5 %');
    await see(phase1).toContainText('vượt 939');
    await see(phase1).toContainText('10.003.500.000 đ');
    await see(phase1).toContainText('trên 10 tỷ đồng');
    // The whole programme: 15 % of 12,000 members.
    await see(page.locator('.card.whole .quota')).toHaveText('1.800');
    expect(Date.now() - started).toBeLessThan(3_000);
    const bars = await page.locator('.chart canvas').evaluate((canvas) => {
      const chart = (globalThis as unknown as { Chart: { getChart(c: unknown): { data: { labels: string[]; datasets: { data: number[] }[] } } } }).Chart.getChart(canvas);
      return { labels: chart.data.labels, quota: chart.data.datasets[0].data, counted: chart.data.datasets[1].data };
    });
    expect(bars).toEqual({ labels: ['Giai đoạn 1', 'Giai đoạn 2', 'Giai đoạn 3'], quota: [600, 480, 720], counted: [1539, 0, 0] });
    await shot('overview');
    await page.setViewportSize({ width: 390, height: 844 });
    await see(page.locator('.card[data-phase="p1"]')).toBeVisible();
    await shot('overview-phone');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot('overview-phone');
  });

  it('unit tree: expands the province, then a district, one level at a time; sorts and filters', async () => {
    await open('#/tree');
    const rows = page.locator('table.tree tbody tr[data-unit]');
    await see(rows).toHaveCount(1);
    const province = page.locator('tr[data-unit="bac-kan"]');
    await see(province).toContainText('LĐLĐ tỉnh Bắc Kạn');
    await see(province).toContainText('1.539');
    await see(province).toContainText('256,5 %');
    await province.getByRole('button', { name: /Mở/ }).click();
    // A page holds 20 rows: the twelve districts and sectors fit in one.
    await see(rows).toHaveCount(13);
    await see(page.locator('tr[data-unit="cs-xi-mang"]')).toHaveCount(0);
    await page.locator('tr[data-unit="cho-don"]').getByRole('button', { name: /Mở/ }).click();
    await see(rows).toHaveCount(16);
    await see(page.locator('tr[data-unit="cs-xi-mang"]')).toContainText('60');
    await see(page.locator('tr[data-unit="cho-don"]')).toContainText('170');
    await shot('tree');

    await page.locator('select[name=sort]').selectOption('-counted');
    await see(rows).toHaveCount(1);
    await province.getByRole('button', { name: /Mở/ }).click();
    await see(rows).toHaveCount(13);
    const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')));
    expect(order.slice(1, 4)).toEqual(['tp-bac-kan', 'cd-giao-duc', 'cho-don']);
    expect(order[12]).toBe('pac-nam');

    // The province stays as the way in; below it, only Pác Nặm (30 of 45) and Viên chức (49 of 50).
    await page.locator('input[name=belowQuota]').check();
    await province.getByRole('button', { name: /Mở/ }).click();
    await see(rows).toHaveCount(3);
    await see(page.locator('tr[data-unit="pac-nam"]')).toContainText('66,7 %');
    await see(page.locator('tr[data-unit="cd-vien-chuc"]')).toContainText('98 %');
    await shot('tree-below-quota');

    await page.locator('input[name=belowQuota]').uncheck();
    await page.locator('select[name=kind]').selectOption('sector');
    await see(rows).toHaveCount(4);
  });

  it('rankings and the units that finished early', async () => {
    await open('#/rankings');
    const ranked = page.locator('table.rankings tbody tr');
    await see(ranked).toHaveCount(8);
    await see(ranked.first()).toContainText('LĐLĐ thành phố Bắc Kạn');
    await see(ranked.first()).toContainText('520 %');
    await see(ranked.last()).toContainText('LĐLĐ huyện Pác Nặm');
    // Every unit but Pác Nặm and Viên chức reached its quota before 31/05/2022, the province included.
    const early = page.locator('table.finished-early tbody tr');
    await see(early).toHaveCount(BAC_KAN_UNITS.length - 2);
    await see(page.locator('table.finished-early tr[data-unit="pac-nam"]')).toHaveCount(0);
    await see(page.locator('table.finished-early tr[data-unit="bac-kan"]')).toHaveCount(1);
    await see(page.locator('table.finished-early')).toContainText(/\d\d\/0[2-5]\/2022/);
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined|NaN/);
    await shot('rankings');
  });

  it("a unit's page: figures, the running count against the quota, initiatives found without diacritics, the auditors' history, as of a date", async () => {
    await open('#/units/cho-don');
    await see(page.locator('main h2')).toHaveText('LĐLĐ huyện Chợ Đồn');
    await see(page.locator('table.unit-figures tr[data-phase="p1"]')).toContainText('170');
    const journal = await api().get('/units/cho-don/history').query({ programId: PROGRAM, phaseId: 'p1', subtree: 'true', limit: 500 }).expect(200);
    const running = await page.locator('.chart canvas').evaluate((canvas) => {
      const chart = (globalThis as unknown as { Chart: { getChart(c: unknown): { data: { datasets: { data: number[] }[] } } } }).Chart.getChart(canvas);
      return { counted: chart.data.datasets[0].data, quota: chart.data.datasets[1].data };
    });
    // A point per event of the journal (the grassroots unions' registrations raise the quota, each initiative the count).
    expect(running.counted).toHaveLength(journal.body.items.length);
    expect(running.counted.at(-1)).toBe(170);
    expect(running.counted.every((n, i) => i === 0 || n >= running.counted[i - 1])).toBe(true);
    expect(running.quota.at(-1)).toBe(50);

    await page.getByRole('searchbox').fill('sang kien so hoa ho so');
    await page.getByRole('button', { name: 'Tìm' }).click();
    const found = page.locator('table.initiatives tbody tr');
    await see(found.first()).toContainText('Sáng kiến');
    await see(page.locator('tr[data-initiative="sk-xi-mang-dac-biet"]')).toContainText('Sáng kiến số hóa hồ sơ đoàn viên');
    await see(page.locator('tr[data-initiative="sk-xi-mang-dac-biet"]')).toContainText('Được công nhận');
    await page.getByRole('searchbox').fill('sang kien');
    await page.getByRole('button', { name: 'Tìm' }).click();
    await see(found).toHaveCount(20);
    for (const title of await found.locator('th').allTextContents()) expect(title).toMatch(/^Sáng kiến /);
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined|NaN/);
    await shot('unit');

    // The history: the API's own journal, event by event, with actor, document and running totals.
    const decision = journal.body.items.find((e: { documentRef: string | null }) => e.documentRef === 'QĐ 15/QĐ-HĐSK');
    const entry = page.locator(`table.history tr[data-position="${decision.position}"]`);
    await page.getByRole('button', { name: 'Xem thêm' }).last().click();
    await page.getByRole('button', { name: 'Xem thêm' }).last().click();
    await page.getByRole('button', { name: 'Xem thêm' }).last().click();
    await see(entry).toContainText('Công nhận sáng kiến');
    await see(entry.locator('.actor')).toHaveText(decision.actor);
    await see(entry.locator('.document')).toHaveText('QĐ 15/QĐ-HĐSK');
    await see(entry).toContainText('25/05/2022');
    await see(entry).toContainText(`${decision.totals.counted} / 50`);
    await page.locator('table.history').screenshot({ path: join(ARTIFACTS, 'unit-history.png') });

    // As of 1 March 2022, by the decisions' own dates.
    const then = await api().get('/units/cho-don/progress').query({ programId: PROGRAM, on: '2022-03-01' }).expect(200);
    const p1Then = then.body.items.find((r: { phaseId: string }) => r.phaseId === 'p1');
    expect(p1Then.counted).toBeLessThan(170);
    await page.locator('input[name=on]').fill('2022-03-01');
    await see(page.locator('.figures')).toContainText('Số liệu tính đến ngày 01/03/2022');
    await see(page.locator('table.unit-figures tr[data-phase="p1"] td').nth(1)).toHaveText(String(p1Then.counted));
  });

  it('an admin starts a rebuild and watches it finish, then a verification', async () => {
    await open('#/admin');
    await see(page.locator('table.projections')).toContainText('Đang chạy');
    await page.getByRole('button', { name: 'Dựng lại read model' }).click();
    await see(page.locator('.rebuild[data-state="done"] .state')).toHaveText('Hoàn tất');
    await see(page.locator('.rebuild')).toContainText(/Tiến độ ([\d.]+) \/ \1 sự kiện/);
    await see(page.locator('table.projections td').nth(1)).toHaveText('2');
    await page.getByRole('button', { name: 'Kiểm tra toàn hệ thống' }).click();
    await see(page.locator('.verification[data-state="done"]')).toContainText('Khớp');
    await shot('admin');
    const status = await api().get('/admin/projections').expect(200);
    expect(status.body.items[0]).toMatchObject({ generation: 2, state: 'live', rebuild: { state: 'done' } });
  });

  it('a reader is not offered the admin view nor the history', async () => {
    await signedIn(readerToken);
    await open('#/');
    await see(page.locator('.card[data-phase="p1"] .counted')).toHaveText('1.539');
    await see(page.locator('nav a[href="#/admin"]')).toBeHidden();
    await open('#/admin');
    await see(page.locator('main')).toContainText('dành cho quản trị viên');
    await see(page.getByRole('button', { name: 'Dựng lại read model' })).toHaveCount(0);
    await open('#/units/cho-don');
    await see(page.locator('table.unit-figures')).toBeVisible();
    await see(page.locator('table.history')).toHaveCount(0);
    await shot('reader');
  });

  it('sends the API key pasted at sign-in on every request', async () => {
    await signedIn(null);
    await page.goto(`${url}/#/`);
    // Without a key the API answers 401 and the page asks for one.
    await see(page.locator('#sign-in')).toBeVisible();
    await page.getByLabel('Khóa API').fill(readerToken);
    const sent: (string | undefined)[] = [];
    page.on('request', (r) => {
      if (!r.url().includes('/assets/')) sent.push(r.headers()['authorization']);
    });
    await page.locator('#sign-in').getByRole('button', { name: 'Đăng nhập' }).click();
    await see(page.locator('.card[data-phase="p1"] .counted')).toHaveText('1.539');
    expect(sent.length).toBeGreaterThan(3);
    expect(new Set(sent)).toEqual(new Set([`Bearer ${readerToken}`]));
    await see(page.getByRole('button', { name: 'Đăng xuất' })).toBeVisible();
  });
});
