// The page: sign-in, the programme chosen, and a view per address (#/, #/tree, #/rankings, #/units/{id}, #/admin).
import { admin } from './admin.js';
import { api, ApiError, credentials, whenUnauthenticated, whoAmI } from './api.js';
import { failure, h } from './dom.js';
import { overview } from './overview.js';
import { rankings } from './rankings.js';
import { tree } from './tree.js';
import { unitPage } from './unit.js';

const PROGRAM_KEY = 'omi.programId';
const ROUTES = [
  { pattern: /^#?\/?$/, view: overview, nav: '#/' },
  { pattern: /^#\/tree$/, view: tree, nav: '#/tree' },
  { pattern: /^#\/rankings$/, view: rankings, nav: '#/rankings' },
  { pattern: /^#\/units\/([^/]+)$/, view: unitPage, nav: '#/tree' },
  { pattern: /^#\/admin$/, view: admin, nav: '#/admin', admin: true },
];

const main = document.getElementById('view');
const nav = document.getElementById('nav');
const signIn = document.getElementById('sign-in');
const programChoice = document.getElementById('program');
const account = document.getElementById('account');
let rendering = 0;

function showSignIn() {
  signIn.hidden = false;
  main.hidden = true;
  signIn.querySelector('input').focus();
}
whenUnauthenticated(showSignIn);

signIn.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = event.target.token.value.trim();
  if (!token) return;
  credentials.set(token);
  event.target.reset();
  signIn.hidden = true;
  main.hidden = false;
  render();
});

function showAccount(me) {
  const signedIn = Boolean(credentials.get());
  account.replaceChildren(
    me.subject ? h('span', { class: 'muted' }, me.subject, ' ') : '',
    h('button', { type: 'button', class: 'link', onclick: () => (signedIn ? (credentials.clear(), location.reload()) : showSignIn()) }, signedIn ? 'Đăng xuất' : 'Đăng nhập'),
  );
}

async function chooseProgram() {
  const { items } = await api('/programs');
  const stored = localStorage.getItem(PROGRAM_KEY);
  const program = items.find((p) => p.programId === stored) ?? items[0] ?? null;
  programChoice.replaceChildren(...items.map((p) => h('option', { value: p.programId, selected: p === program }, p.name)));
  programChoice.hidden = items.length < 2;
  return { programs: items, program };
}

programChoice.addEventListener('change', () => {
  localStorage.setItem(PROGRAM_KEY, programChoice.value);
  render();
});

async function render() {
  const id = ++rendering;
  const container = h('div');
  main.replaceChildren(container);
  main.setAttribute('aria-busy', 'true');
  try {
    const me = await whoAmI();
    const { programs, program } = await chooseProgram();
    if (id !== rendering) return;
    showAccount(me);
    for (const link of nav.querySelectorAll('[data-admin]')) link.hidden = !me.admin;
    const route = ROUTES.find((r) => r.pattern.test(location.hash || '#/')) ?? ROUTES[0];
    for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', link.getAttribute('href') === route.nav);
    if (route.admin && !me.admin) return void container.append(h('p', { class: 'error' }, 'Trang này dành cho quản trị viên.'));
    if (!program) return void container.append(h('p', {}, 'Chưa có chương trình nào.'));
    const [, parameter] = (location.hash || '#/').match(route.pattern);
    await route.view(container, { program, programs, me }, parameter && decodeURIComponent(parameter));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) container.append(failure(error));
  } finally {
    if (id === rendering) main.setAttribute('aria-busy', 'false');
  }
}

window.addEventListener('hashchange', render);
render();
