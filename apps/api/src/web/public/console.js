// The officials' console at `/console`: sign in, the unit's inbox (nearest deadline first), one
// complaint with its timeline, photos and actions, and a badge of new and overdue complaints
// that refreshes itself. Routes live in the URL fragment (`#/?status=…`, `#/pengaduan/ADN-…`),
// so the back button and a reload keep the place. Complaint text is written by residents: it
// only ever goes into the page with textContent.
import { api, byId, el, failureText, formatNumber, initLanguage, lang, onLangChange, setFieldError, setStatus, t, visibleLength } from './common.js';
import { officialSession, REFRESH_MARGIN_MS } from './session.js';

/** @typedef {import('../page-types').SignedIn} SignedIn */
/** @typedef {import('../page-types').SessionTokens} SessionTokens */
/** @typedef {import('../page-types').OfficialView} OfficialView */
/** @typedef {import('../page-types').InboxPage} InboxPage */
/** @typedef {import('../page-types').InboxSummary} InboxSummary */
/** @typedef {import('../page-types').CategoryView} CategoryView */
/** @typedef {import('../page-types').AreaView} AreaView */
/** @typedef {import('../page-types').UnitView} UnitView */
/** @typedef {import('../page-types').PhotoSummary} PhotoSummary */
/** @typedef {import('../page-types').HolidayOverview} HolidayOverview */
/** @typedef {import('../page-types').TimelineItem} TimelineItem */
/**
 * @template T
 * @typedef {import('./common.js').ApiResult<T>} ApiResult
 */
/** @typedef {import('./common.js').CallOptions} CallOptions */
/** @typedef {import('./session.js').Session} Session */
/** @typedef {{ status: string; category: string; overdue: boolean; page: number }} Filter */
/** @typedef {'login-view' | 'inbox-view' | 'complaint-view'} View */

const $ = byId;

const BADGE_EVERY_MS = 30_000;
const PAGE_SIZE = 25;
const TRACKING_NUMBER = /^ADN-\d{6}-[0-9A-Z]{6}$/;
const OPEN = new Set(['submitted', 'routed', 'in_progress', 'awaiting_info']);

/** @typedef {import('../page-types').OfficialActionName} Action */

/**
 * The form fields of each action: API field → element id, with the shortest text the server takes.
 * @type {Record<Action, Record<string, { id: string; min?: number; choose?: string } | undefined>>}
 */
const FIELDS = {
  acknowledge: { note: { id: 'ack-note', min: 0 } },
  'request-info': { question: { id: 'ri-question', min: 5 } },
  forward: { unit: { id: 'fw-unit', choose: 'console.choose_unit' }, reason: { id: 'fw-reason', min: 5 } },
  return: { reason: { id: 'rt-reason', min: 5 } },
  resolve: { resolution: { id: 'rs-resolution', min: 10 } },
  reject: { reason: { id: 'rj-reason', choose: 'console.choose_reason' }, duplicate_of: { id: 'rj-duplicate-of' }, note: { id: 'rj-note', min: 5 } },
};
/** Every action the console has a form for; the view's `actions` says which of them the caller may take now. */
const ACTIONS = /** @type {Action[]} */ (Object.keys(FIELDS));

/** Timeline entries whose text says something an official needs; the rest are named by their label. */
const WITH_TEXT = new Set(['question', 'reply', 'resolution', 'rejection', 'note', 'feedback', 'assigned', 'forwarded', 'returned', 'escalated', 'rejected', 'closed', 'deadline_moved']);
const FROM_RESIDENT = new Set(['reply', 'feedback']);
/**
 * Events whose message follows them in the timeline, by the message's kind.
 * @type {Record<string, string | undefined>}
 */
const CARRIES = { info_requested: 'question', resident_replied: 'reply', resolved: 'resolution' };

/**
 * @type {{ session: Session | null; refreshTimer: ReturnType<typeof setTimeout> | undefined; refreshing: Promise<boolean> | null;
 *   badgeTimer: ReturnType<typeof setInterval> | undefined; view: View | ''; inbox: InboxPage | null; inboxSeq: number; filter: Filter;
 *   complaint: OfficialView | null; complaintNumber: string; categories: Map<string, CategoryView> | null; categoryList: CategoryView[];
 *   areaNames: Map<string, string>; areasLoaded: Set<string>; units: UnitView[] | null; photoUrls: string[];
 *   calendarWarnings: HolidayOverview['warnings']; openAction: Action | ''; previousUser: string }}
 */
const state = {
  session: null,
  refreshTimer: undefined,
  refreshing: null,
  badgeTimer: undefined,
  view: '',
  inbox: null,
  inboxSeq: 0,
  filter: { status: '', category: '', overdue: false, page: 1 },
  complaint: null,
  complaintNumber: '',
  categories: null,
  categoryList: [],
  areaNames: new Map(),
  areasLoaded: new Set(),
  units: null,
  photoUrls: [],
  calendarWarnings: [],
  openAction: '',
  previousUser: '',
};

// --- session -------------------------------------------------------------------------------

const { loadSession, saveSession, adopt, scheduleRefresh, refreshSession, authed } = officialSession(state, endSession);

/** @param {string} noticeKey */
function endSession(noticeKey) {
  clearTimeout(state.refreshTimer);
  stopBadge();
  state.previousUser = state.session?.official?.username ?? state.previousUser;
  state.session = null;
  state.inbox = null;
  state.complaint = null;
  state.units = null;
  state.calendarWarnings = [];
  saveSession();
  clearShown();
  renderCalendarWarnings();
  delete $('calendar-warning').dataset.checked;
  if (noticeKey === 'console.logged_out') clearWork();
  showLogin(noticeKey);
}

/** Takes every complaint's data off the page; what the official typed stays (see clearWork). */
function clearShown() {
  for (const url of state.photoUrls) URL.revokeObjectURL(url);
  state.photoUrls = [];
  for (const id of ['inbox-rows', 'c-facts', 'c-timeline', 'c-photos']) $(id).replaceChildren();
  $('c-description').textContent = '';
  $('complaint-body').hidden = true;
  $('who').textContent = '';
}

/**
 * Forgets half-written answers. A session that merely expired keeps them, so the same official
 * signs in again and finds the resolution they were typing; signing out, or another official
 * signing in at the same screen, clears them.
 */
function clearWork() {
  resetActionForms();
  state.complaintNumber = '';
}

/** Empties and closes every action form: words meant for one complaint never reach another. */
function resetActionForms() {
  for (const action of ACTIONS) {
    $(`form-${action}`, HTMLFormElement).reset();
    clearActionErrors(action);
  }
  $('rj-duplicate-field').hidden = true;
  closeActionForms();
}

/** @param {SubmitEvent} event */
async function login(event) {
  event.preventDefault();
  const username = $('username', HTMLInputElement).value.trim();
  const password = $('password', HTMLInputElement).value;
  setFieldError('username', username ? '' : t('console.login_required'));
  setFieldError('password', password ? '' : t('console.login_required'));
  if (!username) return $('username', HTMLInputElement).focus();
  if (!password) return $('password', HTMLInputElement).focus();
  $('login-submit', HTMLButtonElement).disabled = true;
  setStatus('login-status', t('console.login_busy'));
  /** @type {ApiResult<SignedIn>} */
  const result = await api('/api/v1/auth/login', { method: 'POST', body: { username, password } });
  $('login-submit', HTMLButtonElement).disabled = false;
  if (!result.ok) {
    setStatus('login-status', '');
    const message =
      result.status === 401 ? t('console.login_failed') : result.status === 429 ? t('console.login_throttled', { seconds: result.retryAfter ?? 60 }) : failureText(result);
    setFieldError('password', message);
    $('password', HTMLInputElement).select();
    $('password', HTMLInputElement).focus();
    return;
  }
  $('password', HTMLInputElement).value = '';
  setStatus('login-status', '');
  if (result.data.official?.username !== state.previousUser) clearWork();
  adopt(result.data, result.data.official);
  startSignedIn();
  route(true);
}

async function logout() {
  if (state.session) await authed('/api/v1/auth/logout', { method: 'POST' });
  endSession('console.logged_out');
}

// --- views ---------------------------------------------------------------------------------

/**
 * @param {View} view
 * @param {boolean} focus
 */
function show(view, focus) {
  const changed = state.view !== view;
  state.view = view;
  for (const id of ['login-view', 'inbox-view', 'complaint-view']) $(id).hidden = id !== view;
  const signedIn = Boolean(state.session);
  $('who').hidden = !signedIn;
  $('logout', HTMLButtonElement).hidden = !signedIn;
  $('badge').hidden = !signedIn;
  // A new view moves the focus to its heading, so a screen reader announces where we are.
  if (changed && focus) $(view).querySelector('h1')?.focus();
}

/**
 * The sign-in form; the focus goes to it only when a session just ended, not on arrival (the skip link comes first).
 * @param {string} [noticeKey]
 */
function showLogin(noticeKey) {
  const notice = $('login-notice');
  notice.dataset.key = noticeKey ?? '';
  notice.textContent = noticeKey ? t(noticeKey) : '';
  notice.hidden = !noticeKey;
  show('login-view', false);
  document.body.dataset.ready = 'true';
  if (noticeKey) $('username', HTMLInputElement).focus();
}

function startSignedIn() {
  renderWho();
  startBadge();
  loadCalendarWarnings();
  // The unit's name for the header; the same list feeds the forward picker.
  loadUnits().then(renderWho);
}

/** Who is signed in, and for which office (its name once the directory has answered). */
function renderWho() {
  const official = state.session?.official;
  if (!official) return;
  const unit = official.unit ? (state.units?.find((u) => u.code === official.unit)?.name ?? official.unit) : '';
  $('who').textContent = unit ? `${official.name ?? ''} · ${unit}` : (official.name ?? '');
  $('inbox-unit').textContent = unit ? t('console.inbox_intro', { unit }) : t('console.inbox_no_unit');
}

/**
 * For administrators: a year whose official holiday table is missing (this year's, or next year's
 * from 1 October). Deadlines that count its days are provisional until someone loads it.
 */
async function loadCalendarWarnings() {
  state.calendarWarnings = [];
  delete $('calendar-warning').dataset.checked;
  if (state.session?.official?.roles?.includes('admin')) {
    /** @type {ApiResult<HolidayOverview>} */
    const result = await authed('/api/v1/admin/holidays');
    if (result.ok && Array.isArray(result.data?.warnings)) state.calendarWarnings = result.data.warnings;
  }
  renderCalendarWarnings();
  // Says the answer is in, banner or not (a test, or a person reading the DOM, can tell "none" from "not yet").
  $('calendar-warning').dataset.checked = 'true';
}

function renderCalendarWarnings() {
  const warnings = state.session ? state.calendarWarnings : [];
  const list = $('calendar-warning-list');
  list.replaceChildren(...warnings.map((w) => el('li', { 'data-year': String(w.year) }, lang() === 'en' ? w.message_en : w.message)));
  $('calendar-warning').hidden = warnings.length === 0;
}

/** The tenant's units, fetched once per session. */
async function loadUnits() {
  const tenant = tenantOf(state.session?.official?.unit) ?? tenantOf(state.complaint?.handler?.code);
  if (state.units || !tenant) return;
  /** @type {ApiResult<UnitView[]>} */
  const result = await api(`/api/v1/units?tenant=${encodeURIComponent(tenant)}`);
  if (result.ok && Array.isArray(result.data)) state.units = result.data;
}

/**
 * The unit's tenant: `KEL.36.73.01.1001` → `36.73`.
 * @param {string | null | undefined} unitCode
 */
function tenantOf(unitCode) {
  const rest = String(unitCode ?? '').slice(String(unitCode ?? '').indexOf('.') + 1);
  return /^\d{2}\.\d{2}/.test(rest) ? rest.slice(0, 5) : null;
}

function route(focus = true) {
  if (!state.session) return showLogin();
  const hash = location.hash;
  const complaint = /^#\/pengaduan\/([^/?#]+)$/.exec(hash);
  if (complaint) {
    let number;
    try {
      number = decodeURIComponent(complaint[1]).toUpperCase();
    } catch {
      number = '';
    }
    return openComplaint(number, focus);
  }
  state.filter = filterFromHash(hash);
  return openInbox(focus);
}

/**
 * @param {string} hash
 * @returns {Filter}
 */
function filterFromHash(hash) {
  const query = new URLSearchParams(hash.startsWith('#/?') ? hash.slice(3) : '');
  const status = query.get('status') ?? '';
  const category = query.get('category') ?? '';
  const page = Number.parseInt(query.get('page') ?? '1', 10);
  return {
    status: OPEN.has(status) ? status : '',
    category: /^[A-Z0-9_]{1,64}$/.test(category) ? category : '',
    overdue: query.get('overdue') === 'true',
    page: Number.isFinite(page) && page >= 1 ? page : 1,
  };
}

/** @param {Filter} filter */
function hashOf(filter) {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.category) query.set('category', filter.category);
  if (filter.overdue) query.set('overdue', 'true');
  if (filter.page > 1) query.set('page', String(filter.page));
  const text = query.toString();
  return text ? `#/?${text}` : '#/';
}

// --- names ---------------------------------------------------------------------------------

async function loadCategories() {
  if (state.categories) return;
  /** @type {ApiResult<CategoryView[]>} */
  const result = await api('/api/v1/categories');
  if (!result.ok) return;
  state.categoryList = result.data;
  state.categories = new Map(result.data.map((c) => [c.code, c]));
}

/** @param {string} code */
function categoryName(code) {
  const category = state.categories?.get(code);
  if (!category) return code;
  return lang() === 'en' ? category.name_en || category.name : category.name;
}

/**
 * Names of the kelurahan of these kecamatan (and the tenant's kecamatan), fetched once each.
 * @param {string[]} parents
 */
async function loadAreaNames(parents) {
  const wanted = [...new Set(parents)].filter((p) => p && !state.areasLoaded.has(p));
  await Promise.all(
    wanted.map(async (parent) => {
      state.areasLoaded.add(parent);
      /** @type {ApiResult<AreaView[]>} */
      const result = await api(`/api/v1/areas?parent=${encodeURIComponent(parent)}`);
      if (result.ok) for (const area of result.data) state.areaNames.set(area.code, area.name);
      else state.areasLoaded.delete(parent);
    }),
  );
}

/** @param {string} code */
function areaName(code) {
  return state.areaNames.get(code) ?? code;
}

const kecamatanOf = (/** @type {string} */ kelurahan) => String(kelurahan).split('.').slice(0, 3).join('.');

// --- times ---------------------------------------------------------------------------------

/** @param {string | null} iso */
function formatShort(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'id-ID', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/**
 * "2 jam yang lalu" / "dalam 3 hari": how far a deadline is, in the page's language.
 * @param {string} iso
 */
function relative(iso) {
  const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60_000);
  const format = new Intl.RelativeTimeFormat(lang() === 'en' ? 'en' : 'id', { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}

/** A deadline counted over a year without an official holiday table: it may still move. */
function provisionalTag() {
  return el('span', { class: 'provisional-tag', title: t('console.provisional_note') }, t('console.provisional'));
}

function overdueTag() {
  const tag = el('span', { class: 'overdue-tag' });
  tag.append(el('span', { 'aria-hidden': 'true' }, '⚠'), ' ', el('span', {}, t('console.overdue')));
  return tag;
}

// --- badge ---------------------------------------------------------------------------------

function startBadge() {
  stopBadge();
  refreshBadge();
  state.badgeTimer = setInterval(() => {
    if (!document.hidden) refreshBadge();
  }, BADGE_EVERY_MS);
}

function stopBadge() {
  clearInterval(state.badgeTimer);
  state.badgeTimer = undefined;
}

async function refreshBadge() {
  if (!state.session) return;
  /** @type {ApiResult<InboxSummary>} */
  const result = await authed('/api/v1/inbox/summary');
  if (!result.ok || !result.data) return;
  const { new: fresh, overdue } = result.data;
  // Only a changed number is written, so the live region speaks only when something changed.
  if ($('badge-new').textContent !== formatNumber(fresh)) $('badge-new').textContent = formatNumber(fresh);
  if ($('badge-overdue').textContent !== formatNumber(overdue)) $('badge-overdue').textContent = formatNumber(overdue);
  $('badge-overdue-link', HTMLAnchorElement).classList.toggle('hot', overdue > 0);
}

// --- inbox ---------------------------------------------------------------------------------

function fillFilterSelects() {
  const statusSelect = $('filter-status', HTMLSelectElement);
  statusSelect.replaceChildren(el('option', { value: '' }, t('console.filter_all')));
  for (const status of ['routed', 'in_progress', 'awaiting_info']) statusSelect.append(el('option', { value: status }, t(`officer_status.${status}`)));
  statusSelect.value = state.filter.status;

  const categorySelect = $('filter-category', HTMLSelectElement);
  categorySelect.replaceChildren(el('option', { value: '' }, t('console.filter_all')));
  /** @type {Map<string, CategoryView[]>} */
  const groups = new Map();
  for (const category of state.categoryList) groups.set(category.group, [...(groups.get(category.group) ?? []), category]);
  for (const [group, categories] of groups) {
    const optgroup = el('optgroup', { label: textOr(`group.${group}`, group) });
    for (const category of categories) optgroup.append(el('option', { value: category.code }, categoryName(category.code)));
    categorySelect.append(optgroup);
  }
  if (state.filter.category && !state.categories?.has(state.filter.category)) categorySelect.append(el('option', { value: state.filter.category }, state.filter.category));
  categorySelect.value = state.filter.category;
  $('filter-overdue', HTMLInputElement).checked = state.filter.overdue;
}

/**
 * A dictionary text, or the fallback when the dictionary has no such key.
 * @param {string} key
 * @param {string} fallback
 */
function textOr(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** @param {boolean} focus */
async function openInbox(focus) {
  show('inbox-view', focus);
  renderWho();
  await loadCategories();
  fillFilterSelects();
  await loadInbox();
}

async function loadInbox() {
  const filter = state.filter;
  // Filters change faster than answers come back: only the latest request may draw the list.
  const seq = ++state.inboxSeq;
  const view = $('inbox-view');
  view.setAttribute('aria-busy', 'true');
  setStatus('inbox-status', t('console.inbox_loading'));
  const query = new URLSearchParams({ page: String(filter.page), page_size: String(PAGE_SIZE) });
  if (filter.status) query.set('status', filter.status);
  if (filter.category) query.set('category', filter.category);
  if (filter.overdue) query.set('overdue', 'true');
  /** @type {ApiResult<InboxPage>} */
  const result = await authed(`/api/v1/inbox?${query}`);
  if (!state.session || state.view !== 'inbox-view' || seq !== state.inboxSeq) return;
  if (!result.ok) {
    view.setAttribute('aria-busy', 'false');
    setStatus('inbox-status', failureText(result), 'error-text');
    return;
  }
  state.inbox = result.data;
  await loadAreaNames(result.data.items.map((item) => kecamatanOf(item.kelurahan)));
  if (seq !== state.inboxSeq) return;
  renderInbox();
  // What the table shows now, as a route: lets a test (or a person) tell a stale list from a fresh one.
  view.dataset.shows = hashOf(filter);
  view.setAttribute('aria-busy', 'false');
  refreshBadge();
  document.body.dataset.ready = 'true';
}

function renderInbox() {
  const inbox = state.inbox;
  if (!inbox) return;
  const rows = $('inbox-rows');
  rows.replaceChildren();
  for (const item of inbox.items) {
    const row = el('tr', { class: item.overdue ? 'overdue' : null, 'data-tracking-number': item.tracking_number });
    const number = el('td', { 'data-label': t('console.col_number') });
    number.append(el('a', { class: 'code', href: `#/pengaduan/${encodeURIComponent(item.tracking_number)}` }, item.tracking_number));
    if (item.overdue) number.append(' ', overdueTag());
    const due = el('td', { 'data-label': t('console.col_due'), class: 'due' });
    if (item.due_at) {
      due.append(el('time', { datetime: item.due_at }, formatShort(item.due_at)), el('span', { class: 'relative' }, relative(item.due_at)));
      if (item.due_provisional) due.append(provisionalTag());
    } else due.append(t('console.no_deadline'));
    row.append(
      number,
      el('td', { 'data-label': t('console.col_category') }, categoryName(item.category)),
      el('td', { 'data-label': t('console.col_kelurahan') }, areaName(item.kelurahan)),
      el('td', { 'data-label': t('console.col_status') }, t(`officer_status.${item.status}`)),
      el('td', { 'data-label': t('console.col_assigned'), class: 'when' }, formatShort(item.assigned_at)),
      due,
    );
    rows.append(row);
  }
  // Above its bound the total is not counted (total_is_estimate): the page count is unknown then.
  const pages = Math.max(1, Math.ceil(inbox.total / inbox.page_size));
  const more = Boolean(inbox.next_cursor);
  $('inbox-table').hidden = inbox.items.length === 0;
  $('inbox-provisional').hidden = !inbox.items.some((item) => item.due_at && item.due_provisional);
  $('inbox-empty').hidden = inbox.items.length > 0;
  const [total, page, of] = [inbox.total, inbox.page, pages].map((n) => formatNumber(n));
  setStatus('inbox-status', inbox.total_is_estimate
    ? t('console.inbox_count_more', { total, page })
    : t('console.inbox_count', { total, page, pages: of }));
  $('pager').hidden = !more && inbox.page <= 1;
  $('page-info').textContent = inbox.total_is_estimate ? t('console.page_n', { page }) : t('console.page_of', { page, pages: of });
  const prev = $('page-prev', HTMLAnchorElement);
  const next = $('page-next', HTMLAnchorElement);
  prev.href = hashOf({ ...state.filter, page: Math.max(1, inbox.page - 1) });
  next.href = hashOf({ ...state.filter, page: inbox.page + 1 });
  prev.hidden = inbox.page <= 1;
  next.hidden = !more;
}

/** @param {Event} [event] */
function applyFilters(event) {
  event?.preventDefault();
  const next = hashOf({
    status: $('filter-status', HTMLSelectElement).value,
    category: $('filter-category', HTMLSelectElement).value,
    overdue: $('filter-overdue', HTMLInputElement).checked,
    page: 1,
  });
  if (location.hash === next || (next === '#/' && location.hash === '')) loadInbox();
  else location.hash = next;
}

/** @param {SubmitEvent} event */
function openByNumber(event) {
  event.preventDefault();
  const number = $('open-number', HTMLInputElement).value.trim().toUpperCase();
  if (!TRACKING_NUMBER.test(number)) {
    setFieldError('open-number', t('console.open_invalid'));
    $('open-number', HTMLInputElement).focus();
    return;
  }
  setFieldError('open-number', '');
  $('open-number', HTMLInputElement).value = '';
  location.hash = `#/pengaduan/${encodeURIComponent(number)}`;
}

// --- one complaint -------------------------------------------------------------------------

/**
 * @param {string} number
 * @param {boolean} focus
 */
async function openComplaint(number, focus) {
  if (state.complaintNumber !== number) {
    state.complaint = null;
    $('complaint-body').hidden = true;
    setStatus('action-status', '');
    resetActionForms();
  }
  state.complaintNumber = number;
  $('c-tn').textContent = number;
  show('complaint-view', focus);
  await loadComplaint();
}

/** Fetches the complaint and shows it; false when it cannot be shown. */
async function loadComplaint() {
  const number = state.complaintNumber;
  setStatus('complaint-status', t('console.loading'));
  /** @type {ApiResult<OfficialView>} */
  const result = TRACKING_NUMBER.test(number)
    ? await authed(`/api/v1/complaints/${encodeURIComponent(number)}`)
    : { ok: false, status: 404, data: null, retryAfter: null };
  if (!state.session || state.complaintNumber !== number) return false;
  if (!result.ok) {
    state.complaint = null;
    $('complaint-body').hidden = true;
    setStatus('complaint-status', result.status === 404 ? t('console.not_found') : failureText(result), 'error-text');
    document.body.dataset.ready = 'true';
    return false;
  }
  state.complaint = result.data;
  refreshBadge();
  await Promise.all([loadCategories(), loadAreaNames([result.data.kecamatan, String(result.data.kecamatan).slice(0, 5)])]);
  renderComplaint();
  setStatus('complaint-status', '');
  $('complaint-body').hidden = false;
  document.body.dataset.ready = 'true';
  await loadPhotos(number);
  return true;
}

/**
 * @param {HTMLElement} list
 * @param {string} labelKey
 * @param {string | number | Node | null | undefined} value
 * @param {Record<string, string>} [attributes]
 */
function fact(list, labelKey, value, attributes = {}) {
  if (value === null || value === undefined || value === '') return;
  list.append(el('dt', {}, t(labelKey)));
  const dd = el('dd', attributes);
  if (value instanceof Node) dd.append(value);
  else dd.textContent = String(value);
  list.append(dd);
}

/**
 * @param {string} iso
 * @param {boolean} open
 * @param {boolean} [provisional]
 */
function deadline(iso, open, provisional = false) {
  const wrap = document.createDocumentFragment();
  wrap.append(el('time', { datetime: iso }, formatShort(iso)), ' ', el('span', { class: 'relative' }, `(${relative(iso)})`));
  if (open && new Date(iso).getTime() < Date.now()) wrap.append(' ', overdueTag());
  if (provisional) wrap.append(' ', provisionalTag(), el('span', { class: 'hint provisional-note' }, t('console.provisional_note')));
  return wrap;
}

function renderComplaint() {
  const view = state.complaint;
  if (!view) return;
  $('c-tn').textContent = view.tracking_number;
  const status = $('c-status');
  status.textContent = t(`officer_status.${view.status}`);
  status.dataset.status = view.status;
  const open = OPEN.has(view.status);
  $('c-overdue').hidden = !(open && view.due_at && new Date(view.due_at).getTime() < Date.now());
  $('c-readonly').hidden = view.can_act;
  $('c-description').textContent = view.description;

  const facts = $('c-facts');
  facts.replaceChildren();
  fact(facts, 'console.category', categoryName(view.category));
  fact(facts, 'console.area', `${areaName(view.kelurahan)}, ${t('console.kecamatan')} ${areaName(view.kecamatan)}`);
  fact(facts, 'console.handler', view.handler?.name);
  fact(facts, 'console.submitted', formatShort(view.submitted_at));
  if (view.due_at) fact(facts, 'console.due', deadline(view.due_at, open, view.due_provisional));
  if (view.resolution_due_at && view.resolution_due_at !== view.due_at) fact(facts, 'console.resolution_due', deadline(view.resolution_due_at, false));
  if (view.auto_close_at) fact(facts, 'console.auto_close', deadline(view.auto_close_at, false, view.auto_close_provisional));
  fact(facts, 'console.address', view.address, { class: 'text' });
  if (typeof view.lat === 'number' && typeof view.long === 'number') fact(facts, 'console.point', `${view.lat.toFixed(6)}, ${view.long.toFixed(6)}`);
  fact(facts, 'console.privacy', `${t(view.anonymous ? 'console.anonymous' : 'console.named')}; ${t(view.confidential ? 'console.confidential' : 'console.public')}`);
  if (view.reporter) {
    const parts = [view.reporter.name, view.reporter.phone, view.reporter.email].filter(Boolean);
    if (parts.length) fact(facts, 'console.reporter', parts.join(' · '), { class: 'text' });
  }
  if (view.accused) {
    const parts = [view.accused.name, view.accused.position, view.accused.unit].filter(Boolean);
    if (parts.length) fact(facts, 'console.accused', parts.join(' · '), { class: 'text' });
  }

  const timeline = $('c-timeline');
  timeline.replaceChildren();
  for (const item of foldTimeline(Array.isArray(view.timeline) ? view.timeline : [])) {
    const entry = el('li', { class: `event ${item.type}${FROM_RESIDENT.has(item.type) ? ' from-resident' : ''}`, 'data-type': item.type });
    entry.append(el('time', { datetime: item.at }, formatShort(item.at)));
    entry.append(el('strong', { class: 'who' }, textOr(`event.${item.type}`, item.type)));
    if (WITH_TEXT.has(item.type) && item.message) entry.append(el('p', { class: 'text' }, item.message));
    timeline.append(entry);
  }

  renderActions();
}

/**
 * An event and the words it carries arrive as two entries at the same instant (a question asked,
 * then the question); the console shows the words alone under the words' label.
 * @param {TimelineItem[]} items
 */
function foldTimeline(items) {
  return items.filter((item, i) => {
    const next = items[i + 1];
    return !(next && next.at === item.at && CARRIES[item.type] === next.type);
  });
}

function renderActions() {
  const view = state.complaint;
  const panel = $('actions');
  panel.hidden = !view?.can_act;
  if (!view?.can_act) return closeActionForms();
  let any = false;
  for (const action of ACTIONS) {
    const allowed = view.actions.includes(action);
    $(`action-${action}`).hidden = !allowed;
    any ||= allowed;
    if (!allowed && state.openAction === action) closeActionForms();
  }
  $('actions-none').hidden = any;
}

/** @param {string} number */
async function loadPhotos(number) {
  for (const url of state.photoUrls) URL.revokeObjectURL(url);
  state.photoUrls = [];
  const list = $('c-photos');
  list.replaceChildren();
  /** @type {ApiResult<PhotoSummary[]>} */
  const result = await authed(`/api/v1/complaints/${encodeURIComponent(number)}/photos`);
  if (state.complaintNumber !== number || !result.ok || !Array.isArray(result.data)) {
    $('c-photos-section').hidden = true;
    return;
  }
  $('c-photos-section').hidden = result.data.length === 0;
  let n = 0;
  for (const photo of result.data) {
    n += 1;
    // An <img src> cannot send the bearer token: fetch the bytes and show them from a blob.
    const response = await fetch(`/api/v1/complaints/${encodeURIComponent(number)}/photos/${encodeURIComponent(photo.id)}`, {
      headers: { Authorization: `Bearer ${state.session?.access_token ?? ''}` },
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
    }).catch(() => null);
    if (!response?.ok || state.complaintNumber !== number) continue;
    const url = URL.createObjectURL(await response.blob());
    state.photoUrls.push(url);
    const item = el('li');
    const link = el('a', { href: url, target: '_blank', rel: 'noopener' });
    link.append(el('img', { src: url, alt: t('console.photo_alt', { n }), 'data-photo-id': photo.id }));
    item.append(link);
    list.append(item);
  }
}

// --- actions -------------------------------------------------------------------------------

function closeActionForms() {
  state.openAction = '';
  for (const action of ACTIONS) {
    $(`form-${action}`).hidden = true;
    $(`action-${action}`).setAttribute('aria-expanded', 'false');
  }
}

/** @param {Action} action */
async function openActionForm(action) {
  const wasOpen = state.openAction === action;
  closeActionForms();
  if (wasOpen) return;
  state.openAction = action;
  const form = $(`form-${action}`);
  form.hidden = false;
  $(`action-${action}`).setAttribute('aria-expanded', 'true');
  clearActionErrors(action);
  if (action === 'forward') await fillUnits();
  /** @type {HTMLElement | null} */ (form.querySelector('textarea, select, input'))?.focus();
}

/** The forward picker: the tenant's units grouped by type, without the unit that holds it now. */
async function fillUnits() {
  const select = $('fw-unit', HTMLSelectElement);
  await loadUnits();
  const keep = select.value;
  select.replaceChildren(el('option', { value: '' }, t('common.choose')));
  /** @type {Map<string, UnitView[]>} */
  const groups = new Map();
  for (const unit of state.units ?? []) {
    if (unit.code === state.complaint?.handler?.code) continue;
    groups.set(unit.type, [...(groups.get(unit.type) ?? []), unit]);
  }
  for (const [type, units] of groups) {
    const optgroup = el('optgroup', { label: textOr(`unit_type.${type}`, type) });
    for (const unit of units) optgroup.append(el('option', { value: unit.code }, unit.name));
    select.append(optgroup);
  }
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

/** @param {Action} action */
function clearActionErrors(action) {
  for (const field of Object.values(FIELDS[action])) if (field) setFieldError(field.id, '');
  setFieldError(`form-${action}`, '');
}

/**
 * @param {Action} action
 * @param {string} name
 */
function valueOf(action, name) {
  if (action === 'reject' && name === 'reason') return document.querySelector('#rj-reason input:checked')?.getAttribute('value') ?? '';
  const field = $(FIELDS[action][name]?.id ?? '');
  return field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement || field instanceof HTMLSelectElement ? field.value.trim() : '';
}

/**
 * The request body of an action, or null after marking what is missing.
 * @param {Action} action
 * @returns {Record<string, string> | null}
 */
function bodyOf(action) {
  /** @type {Record<string, string>} */
  const body = {};
  /** @type {[string, string][]} */
  const problems = [];
  for (const [name, field] of Object.entries(FIELDS[action])) {
    if (!field) continue;
    const value = valueOf(action, name);
    if (action === 'reject' && name === 'duplicate_of') {
      if (body.reason === 'duplicate') {
        if (!TRACKING_NUMBER.test(value.toUpperCase())) problems.push([field.id, t('console.need_duplicate')]);
        else body.duplicate_of = value.toUpperCase();
      }
      continue;
    }
    if (field.choose && !value) problems.push([field.id, t(field.choose)]);
    else if (field.min && visibleLength(value) < field.min) problems.push([field.id, t('console.too_short', { n: field.min })]);
    if (value) body[name] = value;
  }
  for (const [id, message] of problems) setFieldError(id, message);
  if (problems.length) {
    const first = $(problems[0][0]);
    (first.tagName === 'FIELDSET' ? first.querySelector('input') : first)?.focus();
    return null;
  }
  return body;
}

/** @param {SubmitEvent} event */
async function act(event) {
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const action = /** @type {Action} */ (form.dataset.action);
  clearActionErrors(action);
  const body = bodyOf(action);
  if (!body) return;
  const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
  submit.disabled = true;
  setStatus('action-status', t('console.sending'));
  const number = state.complaintNumber;
  /** @type {ApiResult<OfficialView>} */
  const result = await authed(`/api/v1/complaints/${encodeURIComponent(number)}/${action}`, { method: 'POST', body });
  submit.disabled = false;
  if (!state.session || state.complaintNumber !== number) return;
  const label = t(`action.${action.replace('-', '_')}`);
  if (result.ok) {
    resetActionForms();
    state.complaint = result.data;
    renderComplaint();
    setStatus('action-status', t('console.done', { action: label }), 'ok');
    $('action-status').focus();
    refreshBadge();
    return;
  }
  setStatus('action-status', '');
  if (result.status === 422) {
    const errors = (!result.ok && result.data?.errors) || [];
    const unplaced = [];
    for (const error of errors) {
      const field = FIELDS[action][String(error.field)];
      if (field) setFieldError(field.id, String(error.message ?? ''));
      else unplaced.push(String(error.message ?? ''));
    }
    setFieldError(`form-${action}`, [t('console.invalid'), result.data?.detail ?? '', ...unplaced].filter(Boolean).join(' '));
    return;
  }
  if (result.status === 409 || result.status === 403 || result.status === 404) {
    // The complaint changed under us, or we may only read it: show why, then what it is now.
    const message =
      result.status === 409
        ? t('console.conflict', { detail: result.data?.detail ?? '' })
        : result.status === 403
          ? t('console.forbidden')
          : t('console.gone');
    closeActionForms();
    await loadComplaint();
    setStatus('action-status', message, 'error-text');
    $('action-status').focus();
    return;
  }
  setFieldError(`form-${action}`, failureText(result));
}

// --- start ---------------------------------------------------------------------------------

function rerender() {
  const notice = $('login-notice');
  if (notice.dataset.key) notice.textContent = t(notice.dataset.key);
  if (state.view === 'inbox-view') {
    fillFilterSelects();
    renderInbox();
  } else if (state.view === 'complaint-view' && state.complaintNumber) {
    // Timeline texts come from the server in the page's language.
    loadComplaint();
  }
  renderWho();
  renderCalendarWarnings();
  if (state.units && state.openAction === 'forward') fillUnits();
}

function start() {
  initLanguage();
  onLangChange(rerender);
  $('login-form', HTMLFormElement).addEventListener('submit', login);
  $('logout', HTMLButtonElement).addEventListener('click', logout);
  $('filters', HTMLFormElement).addEventListener('submit', applyFilters);
  for (const id of ['filter-status', 'filter-category', 'filter-overdue']) $(id).addEventListener('change', applyFilters);
  $('filter-reset', HTMLButtonElement).addEventListener('click', () => {
    location.hash = '#/';
  });
  $('open-form', HTMLFormElement).addEventListener('submit', openByNumber);
  $('inbox-refresh', HTMLButtonElement).addEventListener('click', () => loadInbox());
  $('complaint-refresh', HTMLButtonElement).addEventListener('click', () => loadComplaint());
  for (const button of $('action-buttons').querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => openActionForm(/** @type {Action} */ (/** @type {HTMLButtonElement} */ (button).dataset.action)));
  }
  for (const action of ACTIONS) {
    const form = $(`form-${action}`);
    form.addEventListener('submit', act);
    form.querySelector('[data-cancel]')?.addEventListener('click', () => {
      closeActionForms();
      $(`action-${action}`).focus();
    });
  }
  for (const radio of document.querySelectorAll('#rj-reason input[type=radio]')) {
    if (!(radio instanceof HTMLInputElement)) continue;
    radio.addEventListener('change', () => {
      $('rj-duplicate-field').hidden = radio.value !== 'duplicate' || !radio.checked;
    });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !state.session) return;
    // Timers sleep in a hidden tab: catch up on the token and the badge at once.
    if (state.session.expires_at - Date.now() < REFRESH_MARGIN_MS) refreshSession();
    refreshBadge();
  });
  window.addEventListener('hashchange', () => route(true));

  state.session = loadSession();
  if (state.session) {
    scheduleRefresh();
    startSignedIn();
  }
  route(false);
}

start();
