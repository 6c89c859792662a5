// For admins: the projections' state, rebuilds and whole-system verifications, followed until they end.
import { api, ApiError } from './api.js';
import { clear, h } from './dom.js';
import { count, dateTime, duration } from './format.js';
import { JOB_STATES, PROJECTION_STATES } from './labels.js';
import { table } from './widgets.js';

const POLL_MS = 500;
const FINISHED = new Set(['done', 'failed']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function progressBar(done, total) {
  const share = total > 0 ? Math.min(1, done / total) : 0;
  return h('progress', { max: '100', value: String(Math.round(share * 100)) });
}

function rebuildPanel(rebuild) {
  if (!rebuild) return h('p', { class: 'muted' }, 'Chưa có lần dựng lại nào từ khi khởi động.');
  return h(
    'dl',
    { class: 'rebuild', dataset: { state: rebuild.state } },
    h('dt', {}, 'Dựng lại thế hệ'),
    h('dd', {}, `${rebuild.generation} (phiên bản ${rebuild.version})`),
    h('dt', {}, 'Trạng thái'),
    h('dd', { class: 'state' }, JOB_STATES[rebuild.state] ?? rebuild.state),
    h('dt', {}, 'Tiến độ'),
    h('dd', {}, progressBar(rebuild.eventsDone, rebuild.eventsTotal), ` ${count(rebuild.eventsDone)} / ${count(rebuild.eventsTotal)} sự kiện`),
    h('dt', {}, 'Tốc độ'),
    h('dd', {}, `${count(Math.round(rebuild.rate))} sự kiện/giây`),
    h('dt', {}, 'Còn lại'),
    h('dd', {}, rebuild.etaSeconds === null ? '—' : duration(rebuild.etaSeconds)),
    h('dt', {}, 'Bắt đầu – kết thúc'),
    h('dd', {}, `${dateTime(rebuild.startedAt)} – ${rebuild.finishedAt ? dateTime(rebuild.finishedAt) : '…'}`),
    rebuild.error && h('dt', {}, 'Lỗi'),
    rebuild.error && h('dd', { class: 'error' }, rebuild.error),
  );
}

function verificationPanel(job) {
  const result = job.result;
  return h(
    'div',
    { class: 'verification', dataset: { state: job.state } },
    h('p', {}, h('span', { class: 'state' }, JOB_STATES[job.state] ?? job.state), ' · ', progressBar(job.eventsRead, job.eventsTotal), ` ${count(job.eventsRead)} / ${count(job.eventsTotal)} sự kiện đã đọc`),
    job.error && h('p', { class: 'error' }, job.error),
    result &&
      h(
        'p',
        { class: result.consistent ? 'ok' : 'error' },
        result.consistent ? `Khớp: ${count(result.checked)} bản ghi đúng với dữ liệu dựng lại từ nhật ký sự kiện (vị trí ${result.position}).` : `Lệch ${count(result.differences.length)} chỗ trên ${count(result.checked)} bản ghi (vị trí ${result.position}).`,
      ),
    result &&
      result.differences.length > 0 &&
      table(
        ['Bản ghi', 'Trường', 'Read model', 'Dựng lại'],
        result.differences.slice(0, 100).map((d) => h('tr', {}, h('td', {}, d.document), h('td', {}, d.field), h('td', {}, JSON.stringify(d.readModel)), h('td', {}, JSON.stringify(d.replay)))),
      ),
  );
}

export async function admin(view) {
  const projections = h('div');
  const verification = h('div');
  const message = h('p', { class: 'error', role: 'alert' });

  async function showProjections() {
    const { items } = await api('/admin/projections');
    clear(projections).append(
      table(
        ['Read model', 'Phiên bản', 'Thế hệ', 'Trạng thái', 'Vị trí', 'Đầu nhật ký', 'Độ trễ'],
        items.map((p) => h('tr', { dataset: { projection: p.name } }, h('th', { scope: 'row' }, p.name), h('td', { class: 'num' }, String(p.version)), h('td', { class: 'num' }, String(p.generation)), h('td', { class: 'state' }, PROJECTION_STATES[p.state] ?? p.state), h('td', { class: 'num' }, p.position), h('td', { class: 'num' }, p.head), h('td', { class: 'num' }, p.lag))),
        { class: 'projections' },
      ),
      ...items.map((p) => rebuildPanel(p.rebuild)),
    );
    return items;
  }

  async function follow(button, start, poll) {
    button.disabled = true;
    message.textContent = '';
    try {
      await start();
      while (!(await poll())) await sleep(POLL_MS);
    } catch (error) {
      message.textContent = error instanceof ApiError && error.code === 'REBUILD_IN_PROGRESS' ? 'Đang có một lần dựng lại khác.' : `Không thực hiện được: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  const rebuildButton = h('button', { type: 'button', class: 'primary' }, 'Dựng lại read model');
  rebuildButton.addEventListener('click', () =>
    follow(
      rebuildButton,
      () => api('/admin/projections/progress/rebuild', { method: 'POST', body: {} }),
      async () => (await showProjections()).every((p) => p.rebuild && FINISHED.has(p.rebuild.state)),
    ),
  );
  const verifyButton = h('button', { type: 'button' }, 'Kiểm tra toàn hệ thống');
  let jobId;
  verifyButton.addEventListener('click', () =>
    follow(
      verifyButton,
      async () => (jobId = (await api('/admin/verifications', { method: 'POST', body: {} })).id),
      async () => {
        const job = await api(`/admin/verifications/${encodeURIComponent(jobId)}`);
        clear(verification).append(verificationPanel(job));
        return FINISHED.has(job.state);
      },
    ),
  );

  view.append(
    h('h2', {}, 'Quản trị read model'),
    h('p', { class: 'muted' }, 'Dựng lại: tính lại toàn bộ số liệu từ nhật ký sự kiện theo quy định hiện hành, bên cạnh bản đang phục vụ, rồi chuyển sang khi đã theo kịp.'),
    h('div', { class: 'actions' }, rebuildButton, verifyButton),
    message,
    projections,
    h('h3', {}, 'Kiểm tra toàn hệ thống'),
    verification,
  );
  await showProjections();
}
