// Emulation tables as the provincial office publishes them: rankings by attainment, and who finished early.
import { api } from './api.js';
import { clear, h, select } from './dom.js';
import { count, date } from './format.js';
import { KINDS, KIND_SHORT, phaseName, phaseOptions } from './labels.js';
import { attainmentBar, moreButton, table, unitLink } from './widgets.js';

const RANKED = 50;

export async function rankings(view, { program }) {
  const state = { phaseId: program.phases[0]?.id ?? 'all', kind: 'district' };
  const ranked = h('div');
  const early = h('div');
  const programPath = `/programs/${encodeURIComponent(program.programId)}`;

  async function load() {
    const [top, finished] = await Promise.all([
      api(`${programPath}/rankings`, { query: { phaseId: state.phaseId, kind: state.kind, limit: RANKED } }),
      api(`${programPath}/finished-early`, { query: { phaseId: state.phaseId, limit: RANKED } }),
    ]);
    clear(ranked).append(
      h('h3', {}, `Xếp hạng ${KINDS[state.kind].toLowerCase()} – ${phaseName(program, state.phaseId)}`),
      top.items.length === 0
        ? h('p', { class: 'muted' }, 'Chưa có đơn vị nào.')
        : table(
            ['Hạng', 'Đơn vị', 'Đã tính / chỉ tiêu', 'Tỷ lệ đạt'],
            top.items.map((r) => h('tr', { dataset: { unit: r.unitId } }, h('td', { class: 'num' }, String(r.rank)), h('th', { scope: 'row' }, unitLink(r.unitId, r.unitName)), h('td', { class: 'num' }, `${count(r.counted)} / ${count(r.quota)}`), h('td', {}, attainmentBar(r.attainmentPercent)))),
            { class: 'rankings' },
          ),
    );
    const earlyRow = (r) => h('tr', { dataset: { unit: r.unitId } }, h('th', { scope: 'row' }, unitLink(r.unitId, r.unitName)), h('td', {}, KIND_SHORT[r.kind] ?? r.kind), h('td', { class: 'num' }, date(r.reachedQuotaOn)), h('td', { class: 'num' }, `${count(r.counted)} / ${count(r.quota)}`));
    const earlyTable = table(['Đơn vị', 'Loại', 'Đạt chỉ tiêu ngày', 'Đã tính / chỉ tiêu'], finished.items.map(earlyRow), { class: 'finished-early' });
    let cursor = finished.nextCursor;
    clear(early).append(
      h('h3', {}, `Đơn vị hoàn thành chỉ tiêu trước thời hạn – ${phaseName(program, state.phaseId)}`),
      finished.items.length === 0 ? h('p', { class: 'muted' }, 'Chưa có đơn vị nào.') : earlyTable,
      cursor
        ? moreButton(async () => {
          const page = await api(`${programPath}/finished-early`, { query: { phaseId: state.phaseId, limit: RANKED, cursor } });
          earlyTable.querySelector('tbody').append(...page.items.map(earlyRow));
          cursor = page.nextCursor;
          return Boolean(cursor);
        })
        : '',
    );
  }

  view.append(
    h('h2', {}, 'Xếp hạng thi đua'),
    h(
      'form',
      { class: 'controls', onsubmit: (e) => e.preventDefault() },
      h('label', {}, 'Giai đoạn ', select({ name: 'phase', onchange: (e) => ((state.phaseId = e.target.value), load()) }, phaseOptions(program), state.phaseId)),
      h('label', {}, 'Xếp hạng ', select({ name: 'kind', onchange: (e) => ((state.kind = e.target.value), load()) }, Object.entries(KINDS), state.kind)),
    ),
    h('div', { class: 'columns' }, ranked, early),
  );
  await load();
}
