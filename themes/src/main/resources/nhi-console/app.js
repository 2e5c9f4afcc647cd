// The NHI console: inventory, one NHI's page, posture dashboard, grants and the explain tool.
// Every value from the server is put into the page as text, never as HTML.
import { api, exportPage, login, logout, realm } from './api.js';
import { barChart } from './charts.js';

const PAGE_SIZE = 25;
const DECISIONS = 20;
const STATUSES = ['active', 'suspended', 'expired', 'decommissioned'];
const FLAGS = ['EXPIRING', 'ORPHANED', 'STALE', 'REVIEW_OVERDUE'];
const KINDS = ['service-account', 'workload', 'ai-agent', 'api-integration'];
const main = document.getElementById('main');
let me;
const inventory = { status: '', flag: '', kind: '', environment: '', owner: '', search: '', first: 0 };

/** h('tag', {attributes and on* handlers}, ...children): an element, children as text or nodes. */
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on')) {
      node.addEventListener(key.substring(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

function notice(message, ok = false) {
  const box = document.getElementById('notice');
  box.textContent = message ?? '';
  box.className = ok ? 'notice ok' : 'notice';
  box.hidden = !message;
}

const day = iso => (iso ? iso.substring(0, 10) : '—');
const when = iso => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—');
const field = id => document.getElementById(id).value.trim();

function select(id, label, options, value) {
  return h('label', {}, label, h('select', { id },
    h('option', { value: '' }, 'any'),
    options.map(o => h('option', { value: o, selected: o === value }, o))));
}

function input(id, label, attributes = {}) {
  return h('label', {}, label, h('input', { id, ...attributes }));
}

/** Runs an action, shows its outcome, and re-renders the current page. */
async function act(work, done) {
  try {
    await work();
    notice(done, true);
    await render();
  } catch (e) {
    notice(e.message);
  }
}

// ---- inventory ----

async function inventoryPage() {
  const q = new URLSearchParams({ first: inventory.first, max: PAGE_SIZE });
  for (const key of ['status', 'flag', 'kind', 'environment', 'owner', 'search']) {
    if (inventory[key]) {
      q.set(key, inventory[key]);
    }
  }
  const page = await api('GET', `/identities?${q}`);
  const apply = event => {
    event.preventDefault();
    Object.assign(inventory, { status: field('filter-status'), flag: field('filter-flag'), kind: field('filter-kind'),
      environment: field('filter-environment'), search: field('filter-search'), first: 0,
      owner: me.reader ? field('filter-owner') : '' });
    render();
  };
  const last = Math.min(page.total, inventory.first + page.items.length);
  return [
    h('h1', {}, me.reader ? 'Inventory' : 'My NHIs'),
    h('form', { class: 'filters', onsubmit: apply },
      select('filter-status', 'Status', STATUSES, inventory.status),
      select('filter-flag', 'Flag', FLAGS, inventory.flag),
      select('filter-kind', 'Kind', KINDS, inventory.kind),
      input('filter-environment', 'Environment', { value: inventory.environment, size: 10 }),
      me.reader ? input('filter-owner', 'Owner', { value: inventory.owner, size: 12 }) : null,
      input('filter-search', 'Search client or purpose', { value: inventory.search, size: 20 }),
      h('button', { id: 'apply-filters', type: 'submit' }, 'Apply')),
    h('table', { id: 'inventory' },
      h('thead', {}, h('tr', {}, ['Client', 'Kind', 'Owner', 'Environment', 'Status', 'Expires', 'Flags'].map(t => h('th', {}, t)))),
      h('tbody', {}, page.items.length === 0
        ? h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No NHI matches these filters.'))
        : page.items.map(r => h('tr', { 'data-client-id': r.clientId },
          h('td', {}, h('a', { href: `#/nhi/${encodeURIComponent(r.clientId)}` }, r.clientId)),
          h('td', {}, r.kind), h('td', {}, r.owner?.username ?? r.owner?.id ?? '—'), h('td', {}, r.environment ?? '—'),
          h('td', { class: `status-${r.status}` }, r.status), h('td', {}, day(r.expiresAt)),
          h('td', {}, r.flags.map(f => h('span', { class: 'flag' }, f))))))),
    h('div', { class: 'pager' },
      h('button', { class: 'secondary', type: 'button', disabled: inventory.first === 0,
        onclick: () => { inventory.first = Math.max(0, inventory.first - PAGE_SIZE); render(); } }, 'Previous'),
      h('span', { id: 'inventory-range', class: 'muted' },
        page.total === 0 ? '0 records' : `${inventory.first + 1}–${last} of ${page.total}`),
      h('button', { class: 'secondary', type: 'button', disabled: last >= page.total,
        onclick: () => { inventory.first += PAGE_SIZE; render(); } }, 'Next')),
  ];
}

// ---- one NHI ----

async function detailPage(clientId) {
  const base = `/identities/${encodeURIComponent(clientId)}`;
  const [record, history] = await Promise.all([api('GET', base), api('GET', `${base}/history`)]);
  const owner = record.owner?.id === me.id;
  const live = record.status !== 'decommissioned';
  const post = (action, body, done) => act(() => api('POST', `${base}/${action}`, body), done);
  const sections = [
    h('h1', {}, record.clientId, ' ', h('span', { id: 'record-status', class: `status-${record.status}` }, `(${record.status})`)),
    h('div', { class: 'card' }, h('dl', { class: 'fields' },
      ...[['Purpose', record.purpose], ['Kind', record.kind], ['Owner', record.owner?.username ?? record.owner?.id],
        ['Owner group', record.ownerGroup], ['Environment', record.environment], ['Created', when(record.createdAt)],
        ['Expires', when(record.expiresAt)], ['Review due', when(record.reviewDueAt)],
        ['Last reviewed', when(record.lastReviewedAt)], ['Last used', when(record.lastUsedAt)],
        ['Provenance', [record.provenance?.system, record.provenance?.reference].filter(Boolean).join(' ') || '—'],
        ['Flags', record.flags.join(', ') || 'none'], ['Version', record.version]]
        .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v ?? '—')]))),
  ];
  if (me.admin && live) {
    sections.push(h('h2', {}, 'Lifecycle'), h('div', { class: 'card' },
      h('div', { class: 'form' },
        input('expiry-date', 'New expiry date (UTC)', { type: 'date', value: day(record.expiresAt) }),
        h('button', { id: 'action-extend', type: 'button', onclick: () => act(() => api('PATCH', base,
          { expiresAt: `${field('expiry-date')}T00:00:00Z` }), 'Expiry changed.') }, 'Set expiry')),
      h('div', { class: 'form' },
        input('lifecycle-reason', 'Reason', { size: 40 }),
        record.status === 'suspended'
          ? h('button', { id: 'action-resume', type: 'button',
            onclick: () => post('resume', { reason: field('lifecycle-reason') }, 'Resumed.') }, 'Resume')
          : h('button', { id: 'action-suspend', type: 'button',
            onclick: () => post('suspend', { reason: field('lifecycle-reason') }, 'Suspended.') }, 'Suspend'),
        h('button', { id: 'action-decommission', class: 'danger', type: 'button', onclick: () => {
          if (confirm(`Decommission ${record.clientId}? Its client is disabled, its secret rotated, its tokens revoked. This cannot be undone.`)) {
            post('decommission', { reason: field('lifecycle-reason') }, 'Decommissioned.');
          }
        } }, 'Decommission'))));
  }
  if ((me.admin || owner) && live) {
    sections.push(h('h2', {}, 'Review'), h('div', { class: 'card' }, h('div', { class: 'form' },
      h('label', {}, 'Decision', h('select', { id: 'review-decision' },
        h('option', { value: 'keep' }, 'keep: still needed'), h('option', { value: 'decommission' }, 'decommission'))),
      input('review-comment', 'Comment', { size: 40 }),
      h('button', { id: 'action-review', type: 'button', onclick: () => post('review',
        { decision: field('review-decision'), comment: field('review-comment') }, 'Review recorded.') }, 'Attest review'))));
    if (record.status === 'active') {
      sections.push(h('h2', {}, 'Request a just-in-time grant'), h('div', { class: 'card' }, h('div', { class: 'form' },
        input('grant-scopes', 'Scopes (space-separated)', { size: 24 }),
        input('grant-minutes', 'Minutes', { type: 'number', min: 1, value: 15, size: 5 }),
        input('grant-reason', 'Reason', { size: 32 }),
        h('button', { id: 'action-request-grant', type: 'button', onclick: () => act(() => api('POST', '/grants', {
          clientId: record.clientId, scopes: field('grant-scopes').split(/\s+/).filter(Boolean),
          durationSeconds: Number(field('grant-minutes')) * 60, reason: field('grant-reason') }),
        'Grant requested; an approver decides.') }, 'Request grant'))));
    }
  }
  sections.push(h('h2', {}, 'History'), h('ol', { id: 'history', class: 'timeline' },
    [...history].reverse().map(v => h('li', { 'data-change': v.change },
      h('b', {}, v.change), ' ', h('span', { class: 'muted' }, `${when(v.changedAt)} by ${v.changedBy?.username ?? 'system'}`),
      v.reason ? h('div', {}, v.reason) : null))));
  sections.push(h('h2', {}, 'Recent decisions'), await decisions(record.clientId));
  return sections;
}

/** The NHI's newest token decisions of the last 7 days, newest first, from the evidence sink (readers and the owner). */
async function decisions(clientId) {
  try {
    const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const page = await exportPage(`/evidence?clientId=${encodeURIComponent(clientId)}&type=token.issued,token.denied`
      + `&from=${from}&order=desc&max=${DECISIONS}`);
    const records = page.text.split('\n').filter(Boolean).map(line => JSON.parse(line));
    // fewer than asked for, yet cut short: the server's read limit stopped the search in the realm's newest records
    const partial = page.truncated && records.length < DECISIONS
      ? h('p', { class: 'muted', id: 'decisions-partial' }, 'Only the realm\'s newest evidence was searched; the evidence export has the rest.')
      : null;
    if (records.length === 0) {
      return partial ?? h('p', { class: 'muted' }, 'No token decisions in the last 7 days (the newest may still be on their way to the sink).');
    }
    return h('div', {}, h('table', { id: 'decisions' },
      h('thead', {}, h('tr', {}, ['Time', 'Outcome', 'Code', 'Scope', 'Source'].map(t => h('th', {}, t)))),
      h('tbody', {}, records.map(r => h('tr', {},
        h('td', {}, when(r.time)), h('td', {}, r.type === 'token.issued' ? 'issued' : 'denied'),
        h('td', {}, r.decision?.code ?? '—'), h('td', {}, r.details?.scope ?? '—'), h('td', {}, r.details?.sourceAddress ?? '—'))))),
      partial);
  } catch (e) {
    return h('p', { class: 'muted' }, `Decisions are not available: ${e.message}`);
  }
}

// ---- dashboard ----

async function dashboardPage() {
  const started = performance.now();
  const [report, daily] = await Promise.all([api('GET', '/identities/report'), api('GET', '/evidence/daily?days=30')]);
  const elapsed = Math.round(performance.now() - started);
  return [
    h('h1', {}, 'Posture'),
    h('p', { class: 'muted', id: 'dashboard-time' }, `Generated ${when(report.generatedAt)} in ${elapsed} ms.`),
    h('div', { class: 'tiles' }, Object.entries(report.byStatus).map(([status, n]) =>
      h('div', { class: 'tile', 'data-status': status }, h('b', {}, n), status))),
    h('div', { class: 'grid' },
      h('div', { class: 'card' }, h('h2', {}, 'Expiring per week, next 90 days'),
        barChart('Active NHIs expiring per week', report.expiringByWeek.map(w => ({ label: w.weekStarting.substring(5, 10), values: [w.count] })), ['expiring'])),
      h('div', { class: 'card' }, h('h2', {}, 'NHIs by flag'),
        barChart('NHIs by flag', Object.entries(report.byFlag).map(([flag, n]) => ({ label: flag, values: [n] })), ['NHIs'])),
      h('div', { class: 'card' }, h('h2', {}, 'Tokens per day, last 30 days'),
        barChart('Tokens issued and denied per day', daily.map(d => ({ label: d.day.substring(5), values: [d.issued, d.denied] })), ['issued', 'denied']))),
    h('h2', {}, 'Flagged NHIs'),
    Object.values(report.flagged).every(records => records.length === 0) ? h('p', { class: 'muted' }, 'No NHI is flagged.') : null,
    h('table', {}, h('tbody', {}, Object.entries(report.flagged).flatMap(([flag, records]) => records.slice(0, 10).map(r =>
      h('tr', {}, h('td', {}, h('span', { class: 'flag' }, flag)), h('td', {}, h('a', { href: `#/nhi/${encodeURIComponent(r.clientId)}` }, r.clientId)),
        h('td', {}, r.owner?.username ?? '—'), h('td', {}, day(r.expiresAt))))))),
  ];
}

// ---- grants ----

async function grantsPage() {
  const [pending, recent] = await Promise.all([api('GET', '/grants?status=pending&max=100'), api('GET', '/grants?max=50')]);
  const decide = (grant, verdict) => act(() => api('POST', `/grants/${grant.id}/${verdict}`,
    { comment: document.getElementById(`comment-${grant.id}`).value }), `Grant ${verdict === 'approve' ? 'approved' : 'denied'}.`);
  return [
    h('h1', {}, 'Grants'),
    h('h2', {}, me.admin ? 'Awaiting a decision' : 'Your pending requests'),
    h('table', { id: 'grant-queue' },
      h('thead', {}, h('tr', {}, ['Client', 'Scopes', 'Minutes', 'Reason', 'Requested by', 'Decision'].map(t => h('th', {}, t)))),
      h('tbody', {}, pending.items.length === 0 ? h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'Nothing is waiting.'))
        : pending.items.map(g => h('tr', { 'data-grant-id': g.id, 'data-client-id': g.clientId },
          h('td', {}, g.clientId), h('td', {}, g.scopes.join(' ')), h('td', {}, Math.round(g.durationSeconds / 60)),
          h('td', {}, g.reason), h('td', {}, `${g.requestedBy?.username} at ${when(g.requestedAt)}`,
            h('div', { class: 'muted decide-by' }, `lapses at ${when(g.decideBy)}`)),
          h('td', {}, !me.admin ? 'waiting for an approver'
            : g.requestedBy?.id === me.id ? h('span', { class: 'muted own-request' }, 'your own request: another admin decides')
              : h('span', {}, h('input', { id: `comment-${g.id}`, placeholder: 'comment', size: 14 }), ' ',
                h('button', { class: 'approve', type: 'button', onclick: () => decide(g, 'approve') }, 'Approve'), ' ',
                h('button', { class: 'deny secondary', type: 'button', onclick: () => decide(g, 'deny') }, 'Deny'))))))),
    h('h2', {}, 'Recent grants'),
    h('table', { id: 'grants' },
      h('thead', {}, h('tr', {}, ['Client', 'Scopes', 'Status', 'Requested by', 'Decided by', 'Expires', ''].map(t => h('th', {}, t)))),
      h('tbody', {}, recent.items.map(g => h('tr', { 'data-grant-id': g.id },
        h('td', {}, g.clientId), h('td', {}, g.scopes.join(' ')), h('td', { class: 'grant-status' }, g.status),
        h('td', {}, g.requestedBy?.username ?? '—'), h('td', {}, g.decidedBy?.username ?? '—'), h('td', {}, when(g.expiresAt)),
        h('td', {}, me.admin && g.status === 'approved' ? h('button', { class: 'secondary', type: 'button',
          onclick: () => act(() => api('POST', `/grants/${g.id}/revoke`, { comment: 'revoked in the console' }), 'Grant revoked.') }, 'Revoke') : null))))),
  ];
}

// ---- explain ----

async function explainPage() {
  const result = h('div', { id: 'explain-result' });
  const run = async event => {
    event.preventDefault();
    result.replaceChildren();
    try {
      const body = { clientId: field('explain-client') };
      for (const [key, id] of [['scope', 'explain-scope'], ['sourceAddress', 'explain-source'], ['at', 'explain-at']]) {
        if (field(id)) {
          body[key] = field(id);
        }
      }
      const answer = await api('POST', '/explain', body);
      const rules = answer.policies.flatMap(p => (p.rules ?? []).map(r => ({ profile: p.profile, ...r })));
      result.append(
        h('p', { id: 'explain-verdict' }, answer.tokenIssued ? 'A token would be issued' : 'The request would be refused',
          answer.decision.code ? ` (${answer.decision.code}: ${answer.decision.message})` : '', ` in ${answer.mode} mode.`),
        h('table', {}, h('thead', {}, h('tr', {}, ['Profile', 'Rule', 'Outcome', 'Code', 'Why'].map(t => h('th', {}, t)))),
          h('tbody', {}, h('tr', {}, h('td', {}, 'identity'), h('td', {}, 'record'), h('td', {}, answer.identity.allowed ? 'pass' : 'fail'),
            h('td', {}, answer.identity.code ?? ''), h('td', {}, answer.identity.message ?? '')),
          rules.map(r => h('tr', {}, h('td', {}, r.profile), h('td', {}, r.rule), h('td', {}, r.outcome), h('td', {}, r.code ?? ''), h('td', {}, r.message ?? ''))))));
    } catch (e) {
      result.append(h('p', { class: 'notice' }, e.message));
    }
  };
  return [
    h('h1', {}, 'Why was this token refused?'),
    h('p', { class: 'muted' }, 'Answers the decision a client-credentials request would get, rule by rule, without issuing anything.'),
    h('form', { class: 'filters', onsubmit: run },
      input('explain-client', 'Client', { required: true }), input('explain-scope', 'Scope', { size: 24 }),
      input('explain-source', 'Source address', { size: 16 }), input('explain-at', 'At (RFC 3339, optional)', { size: 22 }),
      h('button', { id: 'explain-run', type: 'submit' }, 'Explain')),
    result,
  ];
}

// ---- routing ----

function routes() {
  return [
    ['#/inventory', me.reader ? 'Inventory' : 'My NHIs', true],
    ['#/dashboard', 'Dashboard', me.reader],
    ['#/grants', 'Grants', true],
    ['#/explain', 'Explain', true],
  ].filter(([, , shown]) => shown);
}

let rendering = 0;

async function render() {
  // A slow answer for a page the user already left must not replace the page they are on.
  const mine = ++rendering;
  const hash = location.hash || '#/inventory';
  document.getElementById('nav').replaceChildren(...routes().map(([href, label]) =>
    h('a', { href, class: hash.startsWith(href) ? 'active' : null }, label)));
  try {
    let content;
    if (hash.startsWith('#/nhi/')) {
      content = await detailPage(decodeURIComponent(hash.substring('#/nhi/'.length)));
    } else if (hash === '#/dashboard' && me.reader) {
      content = await dashboardPage();
    } else if (hash === '#/grants') {
      content = await grantsPage();
    } else if (hash === '#/explain') {
      content = await explainPage();
    } else {
      content = await inventoryPage();
    }
    if (mine === rendering) {
      main.replaceChildren(...[content].flat());
    }
  } catch (e) {
    if (mine === rendering) {
      main.replaceChildren(h('h1', {}, 'Something went wrong'), h('p', { id: 'error-message' }, e.message));
    }
  }
}

async function start() {
  try {
    me = await login();
  } catch {
    main.replaceChildren(h('h1', {}, 'Cannot log in'),
      h('p', {}, `The realm ${realm} did not answer the login. Check that NHI setup ran for it (it creates the client nhi-console).`));
    return;
  }
  document.getElementById('who').textContent = `${me.username} · ${realm}${me.admin ? ' · nhi-admin' : me.reader ? ' · auditor' : ''}`;
  const out = document.getElementById('logout');
  out.hidden = false;
  out.addEventListener('click', () => logout());
  window.addEventListener('hashchange', () => { notice(null); render(); });
  await render();
}

window.addEventListener('unhandledrejection', event => notice(`Unexpected error: ${event.reason?.message ?? event.reason}`));
start();
