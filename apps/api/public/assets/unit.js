// One unit: its figures (today or on a date), the running count against its quota, its initiatives, its history.
import { api, ApiError } from './api.js';
import { runningChart } from './charts.js';
import { clear, failure, h, select } from './dom.js';
import { count, date, dateTime, money, signedMoney } from './format.js';
import { EVENTS, KINDS, STATUSES, phaseName, phaseOptions } from './labels.js';
import { FIGURE_HEADERS, figureCells, moreButton, table, unitLink } from './widgets.js';

const HISTORY_PAGE = 500;
/** Beyond this many events the chart shows the beginning and says so (a province's log is long). */
const HISTORY_CHART_PAGES = 20;
const SHOWN = 50;

export async function unitPage(view, { program, me }, unitId) {
  const unit = await api(`/units/${encodeURIComponent(unitId)}`);
  const ancestors = await Promise.all(unit.path.slice(0, -1).map((id) => api(`/units/${encodeURIComponent(id)}`)));
  const state = { on: '', phaseId: program.phases[0]?.id ?? 'all' };
  const figures = h('div', { class: 'figures' });
  const chart = h('div');
  const history = h('div');
  const unitPath = `/units/${encodeURIComponent(unitId)}`;

  async function loadFigures() {
    const progress = await api(`${unitPath}/progress`, { query: { programId: program.programId, on: state.on || undefined } });
    clear(figures).append(
      h('p', { class: 'muted' }, state.on ? `Số liệu tính đến ngày ${date(state.on)} (theo ngày của từng quyết định, như đã biết đến hôm nay)` : 'Số liệu hiện tại'),
      table(
        ['Giai đoạn', ...FIGURE_HEADERS],
        progress.items.map((row) => h('tr', { dataset: { phase: row.phaseId } }, h('th', { scope: 'row' }, phaseName(program, row.phaseId)), ...figureCells(row))),
        { class: 'unit-figures' },
      ),
    );
  }

  async function loadHistory() {
    const entries = [];
    let cursor;
    let pages = 0;
    try {
      do {
        const page = await api(`${unitPath}/history`, { query: { programId: program.programId, phaseId: state.phaseId, subtree: 'true', limit: HISTORY_PAGE, cursor } });
        entries.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor && ++pages < HISTORY_CHART_PAGES);
    } catch (error) {
      if (error instanceof ApiError && error.status === 403) {
        clear(chart).append(h('p', { class: 'muted' }, 'Biểu đồ và lịch sử dành cho kiểm tra viên.'));
        clear(history);
        return;
      }
      throw error;
    }
    clear(chart).append(
      h('h3', {}, `Lũy kế so với chỉ tiêu – ${phaseName(program, state.phaseId)}`),
      entries.length === 0
        ? h('p', { class: 'muted' }, 'Chưa có sự kiện nào.')
        : runningChart(
            entries.map((e) => date(e.effectiveDate)),
            entries.map((e) => e.totals.counted),
            entries.map((e) => e.totals.quota),
          ),
      cursor ? h('p', { class: 'muted' }, `Biểu đồ gồm ${count(entries.length)} sự kiện đầu tiên.`) : '',
    );
    clear(history);
    if (me.auditor) history.append(historyTable(entries));
  }

  function historyTable(entries) {
    const row = (e) =>
      h(
        'tr',
        { dataset: { position: e.position } },
        h('td', { dataset: { label: 'Ngày hiệu lực' } }, date(e.effectiveDate)),
        h('td', { dataset: { label: 'Ghi nhận lúc' } }, dateTime(e.recordedAt)),
        h('td', { dataset: { label: 'Sự kiện' } }, EVENTS[e.type] ?? e.type),
        h('td', { class: 'actor', dataset: { label: 'Người thực hiện' } }, e.actor),
        h('td', { class: 'document', dataset: { label: 'Văn bản' } }, e.documentRef ?? '—'),
        h('td', { dataset: { label: 'Thay đổi' } }, describeChange(e.change)),
        h('td', { class: 'num', dataset: { label: 'Lũy kế' } }, `${count(e.totals.counted)} / ${count(e.totals.quota)}`),
        h('td', { class: 'num', dataset: { label: 'Giá trị lũy kế' } }, money(e.totals.benefitValue)),
      );
    const shown = table(['Ngày hiệu lực', 'Ghi nhận lúc', 'Sự kiện', 'Người thực hiện', 'Văn bản', 'Thay đổi', 'Đã tính / chỉ tiêu', 'Giá trị làm lợi lũy kế'], entries.slice(0, SHOWN).map(row), { class: 'history' });
    let next = SHOWN;
    return h(
      'section',
      {},
      h('h3', {}, `Lịch sử (${count(entries.length)} sự kiện)`),
      shown,
      entries.length > SHOWN &&
        moreButton(async () => {
          shown.querySelector('tbody').append(...entries.slice(next, next + SHOWN).map(row));
          next += SHOWN;
          return next < entries.length;
        }),
    );
  }

  const results = h('div');
  async function search(text) {
    const query = { programId: program.programId, unitId, subtree: 'true', q: text.trim() || undefined, limit: 20 };
    const list = h('tbody');
    const item = (d) =>
      h(
        'tr',
        { dataset: { initiative: d.initiativeId } },
        h('th', { scope: 'row' }, d.title),
        h('td', { dataset: { label: 'Tác giả' } }, d.authors.join(', ')),
        h('td', { dataset: { label: 'Trạng thái' } }, STATUSES[d.status] ?? d.status),
        h('td', { dataset: { label: 'Ngày đăng ký' } }, date(d.submittedOn)),
        h('td', { class: 'num', dataset: { label: 'Giá trị làm lợi' } }, money(d.recognisedValue ?? d.benefitValue)),
      );
    const page = await api('/initiatives', { query });
    list.append(...page.items.map(item));
    let cursor = page.nextCursor;
    clear(results).append(
      page.items.length === 0
        ? h('p', { class: 'muted' }, 'Không tìm thấy sáng kiến nào.')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'initiatives' }, h('thead', {}, h('tr', {}, ...['Tên sáng kiến', 'Tác giả', 'Trạng thái', 'Ngày đăng ký', 'Giá trị làm lợi'].map((t) => h('th', { scope: 'col' }, t)))), list)),
      cursor
        ? moreButton(async () => {
          const more = await api('/initiatives', { query: { ...query, cursor } });
          list.append(...more.items.map(item));
          cursor = more.nextCursor;
          return Boolean(cursor);
        })
        : '',
    );
  }

  const guard = (task) => task().catch((error) => { if (!(error instanceof ApiError && error.status === 401)) view.append(failure(error)); });
  view.append(
    h('nav', { class: 'breadcrumb', 'aria-label': 'Đơn vị cấp trên' }, h('a', { href: '#/tree' }, 'Cây đơn vị'), ...ancestors.flatMap((a) => [' › ', unitLink(a.unitId, a.name)])),
    h('h2', {}, unit.name),
    h('p', { class: 'muted' }, `${KINDS[unit.kind] ?? unit.kind} · ${count(unit.memberCount)} đoàn viên${unit.status === 'active' ? '' : unit.status === 'merged' ? ' · đã sáp nhập' : ' · đã giải thể'}`),
    h(
      'form',
      { class: 'controls', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'Số liệu đến ngày ', h('input', { type: 'date', name: 'on', onchange: (e) => ((state.on = e.target.value), guard(loadFigures)) })),
      h('label', {}, 'Giai đoạn của biểu đồ ', select({ name: 'phase', onchange: (e) => ((state.phaseId = e.target.value), guard(loadHistory)) }, phaseOptions(program), state.phaseId)),
    ),
    figures,
    chart,
    h('section', {}, h('h3', {}, 'Sáng kiến'), h('form', { class: 'search', role: 'search', onsubmit: (e) => (e.preventDefault(), guard(() => search(e.target.q.value))) }, h('input', { type: 'search', name: 'q', placeholder: 'Tìm theo tên hoặc tác giả, có dấu hay không dấu', 'aria-label': 'Tìm sáng kiến' }), h('button', { type: 'submit' }, 'Tìm')), results),
    history,
  );
  await Promise.all([loadFigures(), loadHistory(), search('')]);
}

function describeChange(change) {
  const parts = [];
  if (change.counted) parts.push(`${change.counted > 0 ? '+' : '−'}${count(Math.abs(change.counted))} sáng kiến`);
  if (change.quota) parts.push(`chỉ tiêu ${count(change.quota.from)} → ${count(change.quota.to)}`);
  if (change.benefitValue) parts.push(signedMoney(change.benefitValue));
  return parts.join(', ');
}
