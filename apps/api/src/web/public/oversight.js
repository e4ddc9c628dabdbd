// The Inspektorat's workspace: a complaint's audit trail with its chain status, the triage queue
// of complaints about officials, the integrity views (with CSV), and a verify run of the whole
// log. Signed in like the console (the same session, this tab only); every datum comes from the
// API with the bearer token and is set with textContent.
import { initResponseTimes, relabelResponseTimes } from './oversight-charts.js';
import { api, applyStrings, el, failureText, formatDateTime, formatNumber, initLanguage, lang, onLangChange, setFieldError, setStatus, t } from './common.js';
import { officialSession } from './session.js';

// The trail, view and verify answers are shown field by field, as the API documents them
// (docs/api.md, Oversight); they are not in page-types.ts yet, so they are read loosely here.
/** @param {string} id @returns {any} */
const $ = (id) => document.getElementById(id);
const TRACKING_NUMBER = /^ADN-\d{6}-[0-9A-Z]{6}$/;
const REASON_MIN = 10;

/** A node with its children appended, so a table row reads top-down. */
/** @param {HTMLElement} node @param {Node[]} children */
const withChildren = (node, children) => {
  node.append(...children);
  return node;
};

/** @type {any} */
const state = { session: null, refreshTimer: undefined, refreshing: null, trail: null, triage: [], view: null, viewName: 'reveals', verify: null };

// --- session (shared with the console) ------------------------------------------------------

const { loadSession, saveSession, adopt, refreshSession, authed } = officialSession(state, endSession);

/** @param {any} [noticeKey] */
function endSession(noticeKey) {
  clearTimeout(state.refreshTimer);
  state.session = null;
  state.trail = null;
  state.triage = [];
  state.view = null;
  state.verify = null;
  saveSession();
  for (const id of ['trail-rows', 'triage-list', 'view-rows', 'view-head']) $(id).replaceChildren();
  $('trail-result').hidden = true;
  $('view-table').hidden = true;
  for (const id of ['verify-result', 'verify-detail']) $(id).textContent = '';
  showLogin(noticeKey);
}

/** @param {any} [event] */
async function login(event) {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  setFieldError('username', username ? '' : t('console.login_required'));
  setFieldError('password', password ? '' : t('console.login_required'));
  if (!username) return $('username').focus();
  if (!password) return $('password').focus();
  $('login-submit').disabled = true;
  setStatus('login-status', t('console.login_busy'));
  const result = await api('/api/v1/auth/login', { method: 'POST', body: { username, password } });
  $('login-submit').disabled = false;
  setStatus('login-status', '');
  if (!result.ok) {
    setFieldError('password', result.status === 401 ? t('console.login_failed') : result.status === 429 ? t('console.login_throttled', { seconds: result.retryAfter ?? 60 }) : failureText(result));
    $('password').select();
    $('password').focus();
    return;
  }
  $('password').value = '';
  adopt(result.data, result.data.official);
  startSignedIn(true);
}

async function logout() {
  if (state.session) await authed('/api/v1/auth/logout', { method: 'POST' });
  endSession('console.logged_out');
}

/** @param {any} [noticeKey] */
function showLogin(noticeKey) {
  const notice = $('login-notice');
  notice.dataset.key = noticeKey ?? '';
  notice.textContent = noticeKey ? t(noticeKey) : '';
  notice.hidden = !noticeKey;
  $('login-view').hidden = false;
  $('work-view').hidden = true;
  for (const id of ['who', 'logout', 'nav']) $(id).hidden = true;
  document.body.dataset.ready = 'true';
  if (noticeKey) $('username').focus();
}

/** @param {any} focus */
function startSignedIn(focus) {
  const official = state.session.official;
  $('login-view').hidden = true;
  $('work-view').hidden = false;
  for (const id of ['who', 'logout', 'nav']) $(id).hidden = false;
  $('who').textContent = `${official.name ?? official.username} · ${official.unit ?? ''}`;
  const inspector = (official.roles ?? []).includes('inspector');
  $('not-inspector').hidden = inspector;
  for (const id of ['trail', 'triage', 'views', 'verify', 'response-times']) $(id).hidden = !inspector;
  if (focus) $('work-heading').focus();
  if (inspector) loadTriage();
  if (inspector) {
    initResponseTimes({
      authed,
      bearer: async () => {
        if (state.session && state.session.expires_at - Date.now() < 10_000) await refreshSession();
        return state.session?.access_token ?? '';
      },
      openTrail: (number) => {
        $('trail-number').value = number;
        history.replaceState(null, '', `#/jejak/${number}`);
        void loadTrail(number).then(() => $('trail-heading').focus());
      },
    });
  }
  const hashNumber = decodeURIComponent(location.hash.replace(/^#\/?jejak\//, ''));
  if (TRACKING_NUMBER.test(hashNumber)) {
    $('trail-number').value = hashNumber;
    loadTrail(hashNumber);
  }
  document.body.dataset.ready = 'true';
}

// --- trail ------------------------------------------------------------------------------------

const EVENT_KEYS = new Set(['submitted', 'routed', 'assigned', 'acknowledged', 'info_requested', 'resident_replied', 'forwarded', 'returned', 'resolved', 'rejected', 'closed', 'escalated', 'deadline_missed', 'reporter_revealed', 'reporter_erased', 'accused_flagged', 'accused_confirmed', 'accused_cleared', 'rerouted', 'photo_added']);

/** @param {any} [event] */
function eventText(event) {
  const short = event.replace(/^complaint\./, '');
  return EVENT_KEYS.has(short) ? t(`oversight.event_${short}`) : event;
}

/** The API's reason for a broken chain (`altered`, `unlinked`, `leaf_mismatch`, `seq N is missing`), in the page's language. @param {string} reason */
function brokenReason(reason) {
  const missing = /^seq (\d+) is missing$/.exec(reason);
  if (missing) return t('oversight.seq_missing', { seq: missing[1] });
  return ['altered', 'unlinked', 'leaf_mismatch'].includes(reason) ? t(`oversight.entry_${reason}`) : reason;
}

/** @param {any} actor */
function actorText(actor) {
  if (actor.type === 'resident') return t('oversight.actor_resident');
  if (actor.type === 'system') return t('oversight.actor_system', { id: actor.id ?? '' });
  return actor.name ? `${actor.name} (${actor.username})` : (actor.id ?? '');
}

/** @param {any} data */
function detailText(data) {
  const parts = [];
  for (const key of ['reason', 'request_reference', 'question', 'to_unit', 'tier', 'kind', 'due_at', 'duplicate_of']) {
    if (data[key] !== undefined && data[key] !== null && typeof data[key] !== 'object') parts.push(`${key}: ${data[key]}`);
  }
  return parts.join(' · ');
}

/** @param {any} [event] */
async function openTrail(event) {
  event.preventDefault();
  const number = $('trail-number').value.trim().toUpperCase();
  if (!TRACKING_NUMBER.test(number)) {
    setFieldError('trail-number', t('oversight.trail_invalid'));
    return $('trail-number').focus();
  }
  setFieldError('trail-number', '');
  history.replaceState(null, '', `#/jejak/${number}`);
  await loadTrail(number);
}

/** @param {any} number */
async function loadTrail(number) {
  const result = await authed(`/api/v1/audit/complaints/${encodeURIComponent(number)}`);
  if (!result.ok) {
    $('trail-result').hidden = true;
    setFieldError('trail-number', result.status === 404 ? t('oversight.trail_not_found') : failureText(result));
    return;
  }
  state.trail = result.data;
  renderTrail();
}

function renderTrail() {
  const trail = state.trail;
  if (!trail) return;
  $('trail-result').hidden = false;
  const chain = $('trail-chain');
  chain.className = `chain-status ${trail.chain.status === 'intact' ? 'intact' : 'broken'}`;
  chain.replaceChildren(
    el('span', { class: 'icon', 'aria-hidden': 'true' }, trail.chain.status === 'intact' ? '✓' : '✗'),
    ' ',
    trail.chain.status === 'intact'
      ? t('oversight.chain_intact', { n: formatNumber(trail.chain.entries) })
      : t('oversight.chain_broken', { seq: trail.chain.first_broken.seq, reason: brokenReason(trail.chain.first_broken.reason) }),
  );
  $('trail-checkpoint').textContent = trail.checkpoint.tree_size
    ? t('oversight.checkpoint_info', { size: trail.checkpoint.tree_size, at: formatDateTime(trail.checkpoint.signed_at) })
    : t('oversight.checkpoint_none');
  $('trail-caption').textContent = t('oversight.trail_caption', { tn: trail.tracking_number });
  $('trail-rows').replaceChildren(
    ...trail.entries.map((/** @type {any} */ e) =>
      withChildren(el('tr', { class: e.chain === 'intact' ? '' : 'overdue' }), [
        el('td', {}, String(e.seq)),
        el('td', { class: 'when' }, formatDateTime(e.at)),
        el('td', {}, eventText(e.event)),
        el('td', {}, actorText(e.actor)),
        el('td', { class: 'text' }, detailText(e.data)),
        el('td', {}, `${t(`oversight.entry_${e.chain}`)} · ${t(`oversight.cp_${e.checkpoint}`)}`),
      ]),
    ),
  );
}

// --- triage -----------------------------------------------------------------------------------

async function loadTriage() {
  const result = await authed('/api/v1/oversight/conflicts?review=pending&page_size=200');
  if (!result.ok) return setStatus('triage-status', failureText(result), 'error');
  state.triage = result.data.items;
  renderTriage();
}

/** @param {any} [done] */
function renderTriage(done) {
  const count = state.triage.length ? t('oversight.triage_count', { n: formatNumber(state.triage.length) }) : t('oversight.triage_empty');
  setStatus('triage-status', done ? `${done} ${count}` : count, done ? 'ok' : '');
  $('triage-list').replaceChildren(
    ...state.triage.map((/** @type {any} */ item, /** @type {number} */ i) => {
      const reasonId = `triage-reason-${i}`;
      const errorId = `${reasonId}-error`;
      const li = el('li', { class: 'triage-item' });
      li.append(
        el('h3', {}, item.tracking_number),
        el('p', {}, t('oversight.triage_accused', { units: item.accused_units.map((/** @type {any} */ u) => `${u.name} (${u.code})`).join(', ') || '—' })),
        el('p', { class: 'hint' }, t('oversight.triage_handler', { unit: item.handler ? `${item.handler.name} (${item.handler.code})` : '—', at: formatDateTime(item.submitted_at) })),
      );
      const field = el('div', { class: 'field' });
      field.append(el('label', { for: reasonId }, t('oversight.triage_reason')), el('textarea', { id: reasonId, rows: '2', 'aria-describedby': errorId }), el('p', { class: 'error-text', id: errorId, hidden: '' }));
      const confirm = el('button', { type: 'button', class: 'secondary' }, t('oversight.triage_confirm'));
      const clear = el('button', { type: 'button', class: 'secondary' }, t('oversight.triage_clear'));
      confirm.addEventListener('click', () => decide(item.tracking_number, 'confirm', reasonId));
      clear.addEventListener('click', () => decide(item.tracking_number, 'clear', reasonId));
      const buttons = el('div', { class: 'action-buttons' });
      buttons.append(confirm, clear);
      li.append(field, buttons);
      return li;
    }),
  );
}

/** @param {any} trackingNumber @param {any} decision @param {any} reasonId */
async function decide(trackingNumber, decision, reasonId) {
  const reason = $(reasonId).value.trim();
  if (reason.length < REASON_MIN) {
    setFieldError(reasonId, t('oversight.triage_reason_short', { n: REASON_MIN }));
    return $(reasonId).focus();
  }
  const result = await authed(`/api/v1/oversight/conflicts/${encodeURIComponent(trackingNumber)}/${decision}`, { method: 'POST', body: { reason } });
  if (!result.ok) return setFieldError(reasonId, failureText(result));
  state.triage = state.triage.filter((/** @type {any} */ i) => i.tracking_number !== trackingNumber);
  renderTriage(t(decision === 'confirm' ? 'oversight.triage_confirmed' : 'oversight.triage_cleared', { tn: trackingNumber }));
}

// --- integrity views --------------------------------------------------------------------------

function viewQuery() {
  const params = new URLSearchParams();
  const from = $('view-from').value;
  const to = $('view-to').value;
  // Dates are days in WIB (UTC+7), as officials read them; `to` includes its whole day.
  if (from) params.set('from', `${from}T00:00:00+07:00`);
  if (to) params.set('to', new Date(Date.parse(`${to}T00:00:00+07:00`) + 86_400_000).toISOString());
  return params;
}

/** @param {any} [event] */
async function showView(event) {
  event?.preventDefault();
  const name = $('view-name').value;
  setStatus('views-status', t('oversight.loading'));
  const result = await authed(`/api/v1/oversight/views/${name}?${viewQuery()}`);
  if (!result.ok) return setStatus('views-status', failureText(result), 'error');
  state.view = result.data;
  state.viewName = name;
  renderView();
}

/** @param {any} value */
function cellText(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
  if (typeof value === 'number') return formatNumber(value, 2);
  return String(value);
}

const HIDDEN_COLUMNS = new Set(['entry_id', 'official_id']);

function renderView() {
  const items = state.view?.items ?? [];
  setStatus('views-status', t('oversight.view_count', { n: formatNumber(items.length) }));
  const columns = items.length ? Object.keys(items[0]).filter((c) => !HIDDEN_COLUMNS.has(c)) : [];
  $('view-table').hidden = items.length === 0;
  $('view-caption').textContent = $('view-name').selectedOptions[0]?.textContent ?? '';
  $('view-head').replaceChildren(...columns.map((c) => el('th', { scope: 'col' }, t(`oversight.col.${c}`))));
  $('view-rows').replaceChildren(...items.map((/** @type {any} */ row) => withChildren(el('tr'), columns.map((c) => el('td', { class: 'text' }, cellText(row[c]))))));
}

async function downloadCsv() {
  const name = $('view-name').value;
  const query = viewQuery();
  query.set('format', 'csv');
  if (state.session && state.session.expires_at - Date.now() < 10_000) await refreshSession();
  let response;
  try {
    response = await fetch(`/api/v1/oversight/views/${name}?${query}`, { headers: { Authorization: `Bearer ${state.session?.access_token ?? ''}` }, credentials: 'omit', cache: 'no-store' });
  } catch {
    return setStatus('views-status', t('common.network_error'), 'error');
  }
  if (!response.ok) return setStatus('views-status', failureText({ ok: false, status: response.status, data: null, retryAfter: response.headers.get('retry-after') }), 'error');
  const url = URL.createObjectURL(await response.blob());
  const link = el('a', { href: url, download: `aduan-${name}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setStatus('views-status', t('oversight.csv_done'), 'ok');
}

// --- verify -----------------------------------------------------------------------------------

async function runVerify() {
  $('verify-run').disabled = true;
  setStatus('verify-result', t('oversight.verify_running'));
  $('verify-detail').textContent = '';
  let result = await authed('/api/v1/audit/verify');
  while (result.ok && result.status === 202) {
    const p = result.data.progress ?? {};
    $('verify-detail').textContent = t('oversight.verify_progress', { done: p.entries_checked ?? 0, total: p.entries_total ?? '?' });
    await new Promise((r) => setTimeout(r, 1500));
    result = await authed(`/api/v1/audit/verify/${result.data.id}`);
  }
  $('verify-run').disabled = false;
  if (!result.ok) return setStatus('verify-result', failureText(result), 'error');
  state.verify = result.data;
  renderVerify();
}

function renderVerify() {
  const run = state.verify;
  if (!run) return;
  const box = $('verify-result');
  box.className = `chain-status ${run.ok ? 'intact' : 'broken'}`;
  box.replaceChildren(el('span', { class: 'icon', 'aria-hidden': 'true' }, run.ok ? '✓' : '✗'), ' ', run.ok ? t('oversight.verify_ok', { n: formatNumber(run.entries_checked) }) : t('oversight.verify_not_ok'));
  const first = run.first_invalid;
  $('verify-detail').textContent = first
    ? t('oversight.verify_first', { what: [first.kind, first.entry?.stream, first.entry?.seq !== undefined ? `#${first.entry.seq}` : '', first.entry?.id].filter(Boolean).join(' '), message: lang() === 'en' ? (first.message_en ?? first.message) : first.message })
    : t('oversight.verify_checkpoints', { n: formatNumber(run.checkpoints_checked ?? 0) });
}

// --- start ------------------------------------------------------------------------------------

function relabel() {
  applyStrings();
  $('nav').setAttribute('aria-label', t('oversight.nav_label'));
  renderTrail();
  if (state.triage.length || state.session) renderTriage();
  if (state.view) renderView();
  renderVerify();
  relabelResponseTimes();
}

initLanguage();
onLangChange(relabel);
applyStrings();
$('nav').setAttribute('aria-label', t('oversight.nav_label'));
$('login-form').addEventListener('submit', login);
$('logout').addEventListener('click', logout);
$('trail-form').addEventListener('submit', openTrail);
$('views-form').addEventListener('submit', showView);
$('view-csv').addEventListener('click', downloadCsv);
$('verify-run').addEventListener('click', runVerify);
state.session = loadSession();
if (state.session) startSignedIn(false);
else showLogin();
