// Pieces every view shows the same way.
import { h } from './dom.js';
import { count, money, percent } from './format.js';

/** The attainment as a bar (full at 100 %, marked beyond) and its figure. */
export function attainmentBar(attainmentPercent) {
  const width = Math.min(100, attainmentPercent ?? 0);
  const state = attainmentPercent === null ? 'none' : attainmentPercent >= 100 ? 'reached' : 'below';
  return h(
    'span',
    { class: `attainment ${state}` },
    h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'fill', style: { width: `${width}%` } })),
    h('span', { class: 'figure' }, percent(attainmentPercent)),
  );
}

/** The figure cells of a progress row, in the order of FIGURE_HEADERS. */
export const figureCells = (row) => [
  h('td', { class: 'num', dataset: { label: 'Chỉ tiêu' } }, count(row.quota)),
  h('td', { class: 'num', dataset: { label: 'Đã tính' } }, count(row.counted)),
  h('td', { dataset: { label: 'Tỷ lệ' } }, attainmentBar(row.attainmentPercent)),
  h('td', { class: 'num', dataset: { label: 'Vượt' } }, row.excess > 0 ? count(row.excess) : '—'),
  h('td', { class: 'num', dataset: { label: 'Giá trị làm lợi' } }, money(row.benefitValue)),
];
export const FIGURE_HEADERS = ['Chỉ tiêu', 'Đã tính', 'Tỷ lệ đạt', 'Vượt', 'Giá trị làm lợi'];

export const table = (headers, rows, attributes = {}) =>
  h('div', { class: 'table-wrap' }, h('table', attributes, h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, ...rows)));

export const unitLink = (unitId, name) => h('a', { href: `#/units/${encodeURIComponent(unitId)}` }, name);

/** A "more" button that loads the next page into a list, until there is none. */
export function moreButton(load) {
  const button = h('button', { type: 'button', class: 'more' }, 'Xem thêm');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const hasMore = await load();
    if (hasMore) button.disabled = false;
    else button.remove();
  });
  return button;
}
