// The programme at a glance: its phases, and each phase's counted against quota over the provinces.
import { api } from './api.js';
import { phaseChart } from './charts.js';
import { h } from './dom.js';
import { attainment, count, date, money, moneyInWords, percent, sumMoney } from './format.js';
import { WHOLE_PROGRAM } from './labels.js';
import { attainmentBar } from './widgets.js';

const PROVINCES_PER_PAGE = 500;

/** The programme's figures for a phase: the sum over its top-level units (provinces). */
async function programmeFigures(programId, phaseId) {
  const rows = [];
  let cursor;
  do {
    const page = await api(`/programs/${encodeURIComponent(programId)}/progress`, { query: { phaseId, kind: 'province', limit: PROVINCES_PER_PAGE, cursor } });
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  const quota = rows.reduce((s, r) => s + r.quota, 0);
  const counted = rows.reduce((s, r) => s + r.counted, 0);
  return { phaseId, quota, counted, attainmentPercent: attainment(counted, quota), excess: Math.max(0, counted - quota), benefitValue: sumMoney(rows.map((r) => r.benefitValue)) };
}

function figureCard(title, subtitle, figures, whole = false) {
  return h(
    'section',
    { class: `card${whole ? ' whole' : ''}`, dataset: { phase: figures.phaseId } },
    h('h3', {}, title),
    subtitle && h('p', { class: 'muted' }, subtitle),
    h('p', { class: 'big' }, h('strong', { class: 'counted' }, count(figures.counted)), ' sáng kiến được tính / chỉ tiêu ', h('strong', { class: 'quota' }, count(figures.quota))),
    attainmentBar(figures.attainmentPercent),
    h('p', {}, figures.excess > 0 ? h('span', { class: 'excess' }, `vượt ${count(figures.excess)}`) : figures.quota > 0 ? `còn thiếu ${count(figures.quota - figures.counted)}` : ''),
    h('p', { class: 'benefit' }, 'Giá trị làm lợi: ', h('strong', {}, money(figures.benefitValue)), h('span', { class: 'muted' }, ` (${moneyInWords(figures.benefitValue)})`)),
  );
}

export async function overview(view, { program }) {
  const phaseIds = [...program.phases.map((p) => p.id), WHOLE_PROGRAM];
  const figures = await Promise.all(phaseIds.map((phaseId) => programmeFigures(program.programId, phaseId)));
  const whole = figures[figures.length - 1];
  const rule = program.countingRule.basis === 'approved' ? 'sáng kiến được công nhận' : 'sáng kiến đã đăng ký';
  view.append(
    h('h2', {}, program.name),
    h(
      'p',
      { class: 'muted' },
      `Thời hạn áp dụng ${date(program.eligibility.from)} – ${date(program.eligibility.to)} · chỉ tiêu ${percent(program.targetPercent)} số đoàn viên · tính ${rule}`,
      program.stale ? h('span', { class: 'stale' }, ' · số liệu chờ tính lại theo quy định mới') : '',
    ),
    h('div', { class: 'cards' }, figureCard('Cả chương trình', null, whole, true), ...program.phases.map((phase, i) => figureCard(phase.name, `${date(phase.from)} – ${date(phase.to)} · chỉ tiêu ${percent(phase.targetPercent)} số đoàn viên`, figures[i]))),
    h('h3', {}, 'Tiến độ theo giai đoạn'),
    phaseChart(
      program.phases.map((p) => p.name),
      figures.slice(0, -1).map((f) => f.quota),
      figures.slice(0, -1).map((f) => f.counted),
    ),
  );
}
