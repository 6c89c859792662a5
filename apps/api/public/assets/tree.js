// The unit tree: one level at a time, paged, each row the unit's figures for the chosen phase.
import { api } from './api.js';
import { h, select } from './dom.js';
import { count } from './format.js';
import { KINDS, KIND_SHORT, phaseOptions } from './labels.js';
import { FIGURE_HEADERS, figureCells, unitLink } from './widgets.js';

const PAGE = 20;
const SORTS = [
  ['unitId', 'Theo mã đơn vị'],
  ['-attainmentPercent', 'Tỷ lệ đạt cao nhất'],
  ['attainmentPercent', 'Tỷ lệ đạt thấp nhất'],
  ['-counted', 'Nhiều sáng kiến nhất'],
  ['-excess', 'Vượt nhiều nhất'],
];

export async function tree(view, { program }) {
  const state = { phaseId: program.phases[0]?.id ?? 'all', sort: 'unitId', kind: '', belowQuota: false, finishedEarly: false };
  const body = h('tbody');
  const controls = h(
    'form',
    { class: 'controls', onsubmit: (e) => e.preventDefault() },
    h('label', {}, 'Giai đoạn ', select({ name: 'phase', onchange: (e) => reload({ phaseId: e.target.value }) }, phaseOptions(program), state.phaseId)),
    h('label', {}, 'Sắp xếp ', select({ name: 'sort', onchange: (e) => reload({ sort: e.target.value }) }, SORTS, state.sort)),
    h('label', {}, 'Loại đơn vị ', select({ name: 'kind', onchange: (e) => reload({ kind: e.target.value }) }, [['', 'Theo cây (tỉnh → huyện, ngành → cơ sở)'], ...Object.entries(KINDS)], state.kind)),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'belowQuota', onchange: (e) => reload({ belowQuota: e.target.checked }) }), ' Chưa đạt chỉ tiêu'),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'finishedEarly', onchange: (e) => reload({ finishedEarly: e.target.checked }) }), ' Hoàn thành sớm'),
  );
  // In the tree the top level stays, as the way in; a flat list of one kind is filtered throughout.
  const shows = (row, depth) => (depth === 0 && !state.kind) || ((!state.belowQuota || (row.quota > 0 && row.counted < row.quota)) && (!state.finishedEarly || row.finishedEarly));

  /** Loads a page of a parent's children (or of the top level) and inserts its rows before `anchor`. */
  async function loadPage(parent, cursor, anchor) {
    const query = { phaseId: state.phaseId, sort: state.sort, limit: PAGE, cursor };
    if (parent) query.parentId = parent.unitId;
    else if (state.kind) query.kind = state.kind;
    else query.kind = 'province';
    const page = await api(`/programs/${encodeURIComponent(program.programId)}/progress`, { query });
    const depth = parent ? parent.depth + 1 : 0;
    const under = parent ? [...parent.under, parent.unitId] : [];
    const rows = page.items.filter((row) => shows(row, depth)).map((row) => unitRow(row, depth, under));
    if (parent && page.items.length === 0 && !cursor) rows.push(noteRow('Không có đơn vị trực thuộc', depth, under));
    else if (page.items.length > 0 && rows.length === 0 && !page.nextCursor && !cursor) rows.push(noteRow('Không có đơn vị nào khớp bộ lọc', depth, under));
    if (page.nextCursor) rows.push(moreRow(parent, page.nextCursor, depth, under));
    anchor ? anchor.before(...rows) : body.append(...rows);
  }

  function unitRow(row, depth, under) {
    const node = { unitId: row.unitId, depth, under };
    const toggle =
      row.kind === 'grassroots'
        ? h('span', { class: 'toggle-space' })
        : h('button', { type: 'button', class: 'toggle', 'aria-expanded': 'false', 'aria-label': `Mở ${row.unitName}`, onclick: () => expand(node, toggle, tr) }, '▸');
    const tr = h(
      'tr',
      { dataset: { unit: row.unitId, depth: String(depth), under: under.join(' ') } },
      h('th', { scope: 'row', style: { paddingLeft: `${0.5 + depth * 1.25}rem` } }, toggle, ' ', unitLink(row.unitId, row.unitName), row.finishedEarly ? h('span', { class: 'badge', title: 'Hoàn thành chỉ tiêu trước thời hạn' }, 'sớm') : ''),
      h('td', { dataset: { label: 'Loại' } }, KIND_SHORT[row.kind] ?? row.kind),
      ...figureCells(row),
    );
    return tr;
  }

  async function expand(node, toggle, tr) {
    if (toggle.getAttribute('aria-expanded') === 'true') {
      body.querySelectorAll(`tr[data-under~="${CSS.escape(node.unitId)}"]`).forEach((r) => r.remove());
      toggle.setAttribute('aria-expanded', 'false');
      toggle.textContent = '▸';
      return;
    }
    toggle.setAttribute('aria-expanded', 'true');
    toggle.textContent = '▾';
    const anchor = h('tr', { class: 'loading' });
    tr.after(anchor);
    try {
      await loadPage(node, undefined, anchor);
    } finally {
      anchor.remove();
    }
  }

  const noteRow = (text, depth, under) => h('tr', { class: 'note', dataset: { under: under.join(' ') } }, h('td', { colspan: String(FIGURE_HEADERS.length + 2), style: { paddingLeft: `${2 + depth * 1.25}rem` } }, text));

  function moreRow(parent, cursor, depth, under) {
    const button = h('button', { type: 'button', class: 'more' }, 'Xem thêm');
    const tr = h('tr', { class: 'more-row', dataset: { under: under.join(' ') } }, h('td', { colspan: String(FIGURE_HEADERS.length + 2), style: { paddingLeft: `${2 + depth * 1.25}rem` } }, button));
    button.addEventListener('click', async () => {
      button.disabled = true;
      await loadPage(parent, cursor, tr);
      tr.remove();
    });
    return tr;
  }

  async function reload(change) {
    Object.assign(state, change);
    body.replaceChildren();
    await loadPage(null);
    summary.textContent = `${count(body.querySelectorAll('tr[data-unit]').length)} đơn vị đang hiển thị`;
  }

  const summary = h('p', { class: 'muted', 'aria-live': 'polite' });
  view.append(
    h('h2', {}, 'Cây đơn vị'),
    controls,
    summary,
    h('div', { class: 'table-wrap' }, h('table', { class: 'tree' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Đơn vị'), h('th', { scope: 'col' }, 'Loại'), ...FIGURE_HEADERS.map((t) => h('th', { scope: 'col' }, t)))), body)),
  );
  await reload({});
}
