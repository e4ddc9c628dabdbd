// The tracking page at `/lacak`: the resident's view of one complaint, the officer's question
// with a reply box, feedback once it is resolved, and the photos. The tracking number and the
// access code may arrive in the URL fragment (`#ADN-…:CODE`), which no server ever receives.
import {
  api, byId, el, failureText, formatDateTime, initLanguage, lang, MAX_PHOTOS, onLangChange, photoFailureText, photoProblem, setFieldError, setStatus, t, uploadPhoto, visibleLength,
} from './common.js';

/** @typedef {import('../page-types').ResidentView} ResidentView */
/** @typedef {import('../page-types').CategoryView} CategoryView */
/** @typedef {import('../page-types').AreaView} AreaView */
/** @typedef {import('../page-types').PhotoSummary} PhotoSummary */
/**
 * @template T
 * @typedef {import('./common.js').ApiResult<T>} ApiResult
 */

const $ = byId;
const OPEN = new Set(['submitted', 'routed', 'in_progress', 'awaiting_info']);
const FROM_OFFICER = new Set(['question', 'resolution', 'rejection']);

/**
 * @type {{ trackingNumber: string; accessCode: string; view: ResidentView | null; categories: Map<string, CategoryView> | null;
 *   areaNames: Map<string, string>; photoUrls: string[]; photoCount: number }}
 */
const state = { trackingNumber: '', accessCode: '', view: null, categories: null, areaNames: new Map(), photoUrls: [], photoCount: 0 };

function fromFragment() {
  let fragment;
  try {
    fragment = decodeURIComponent(location.hash.slice(1));
  } catch {
    return { trackingNumber: '', accessCode: '' };
  }
  const at = fragment.indexOf(':');
  if (at < 0) return { trackingNumber: fragment.trim(), accessCode: '' };
  return { trackingNumber: fragment.slice(0, at).trim(), accessCode: fragment.slice(at + 1).trim() };
}

function complaintPath(suffix = '') {
  return `/api/v1/complaints/${encodeURIComponent(state.trackingNumber)}${suffix}`;
}

function withCode() {
  return { 'X-Access-Code': state.accessCode };
}

// --- loading -------------------------------------------------------------------------------

/** @param {Event} [event] */
async function lookup(event) {
  event?.preventDefault();
  const trackingNumber = $('tracking-number', HTMLInputElement).value.trim().toUpperCase();
  const accessCode = $('access-code', HTMLInputElement).value.trim();
  setFieldError('tracking-number', trackingNumber ? '' : t('track.required_tn'));
  setFieldError('access-code', accessCode ? '' : t('track.required_code'));
  if (!trackingNumber) return $('tracking-number', HTMLInputElement).focus();
  if (!accessCode) return $('access-code', HTMLInputElement).focus();
  state.trackingNumber = trackingNumber;
  state.accessCode = accessCode;
  if (await load()) $('complaint').focus();
}

/** Fetches and shows the complaint; false when it could not be shown. */
async function load() {
  setStatus('lookup-status', t('track.loading'));
  /** @type {ApiResult<ResidentView>} */
  const result = await api(complaintPath(), { headers: withCode() });
  if (!result.ok) {
    $('complaint').hidden = true;
    setStatus('lookup-status', result.status === 404 || result.status === 401 ? t('track.not_found') : failureText(result), 'error-text');
    return false;
  }
  state.view = result.data;
  render();
  setStatus('lookup-status', t('track.loaded', { tn: result.data.tracking_number }));
  $('complaint').hidden = false;
  document.body.dataset.ready = 'true';
  await Promise.all([names(), photos()]);
  return true;
}

// --- rendering -----------------------------------------------------------------------------

function render() {
  const view = state.view;
  if (!view) return;
  $('view-tn').textContent = view.tracking_number;
  const status = $('view-status');
  status.textContent = t(`status.${view.status}`);
  status.dataset.status = view.status;
  $('view-status-hint').textContent = t(`status_hint.${view.status}`);
  $('view-handler').textContent = view.handler?.name ?? t('track.handler_none');
  const overdue = view.due_at && OPEN.has(view.status) && new Date(view.due_at).getTime() < Date.now();
  const provisional = (/** @type {boolean} */ flag) => (flag ? ` ${t('track.provisional')}` : '');
  $('view-due').textContent = view.due_at ? `${formatDateTime(view.due_at)}${overdue ? ` ${t('track.overdue')}` : ''}${provisional(view.due_provisional)}` : t('track.due_none');
  $('view-auto-close').textContent = view.auto_close_at ? `${formatDateTime(view.auto_close_at)}${provisional(view.auto_close_provisional)}` : '';
  $('view-auto-close').hidden = $('view-auto-close-label').hidden = !view.auto_close_at;
  $('view-provisional-note').hidden = !((view.due_at && view.due_provisional) || (view.auto_close_at && view.auto_close_provisional));
  $('view-submitted').textContent = formatDateTime(view.submitted_at);
  renderNames();

  const timeline = Array.isArray(view.timeline) ? view.timeline : [];
  const question = view.status === 'awaiting_info' ? [...timeline].reverse().find((item) => item.type === 'question') : null;
  $('question-panel').hidden = !question;
  $('question-text').textContent = question?.message ?? '';

  const answering = view.status === 'awaiting_info';
  $('reply-form', HTMLFormElement).hidden = !OPEN.has(view.status);
  $('reply-heading').textContent = t(answering ? 'track.reply_heading_answer' : 'track.reply_heading');
  $('reply-label').textContent = t(answering ? 'track.reply_label_answer' : 'track.reply_label');
  $('feedback-form', HTMLFormElement).hidden = view.status !== 'resolved';

  const list = $('view-timeline');
  list.replaceChildren();
  for (const item of timeline) {
    const entry = el('li', { class: `event ${item.type}` });
    entry.append(el('time', { datetime: item.at }, formatDateTime(item.at)));
    const who = item.type === 'reply' || item.type === 'feedback' ? t('track.you') : FROM_OFFICER.has(item.type) ? t('track.officer') : '';
    if (who) entry.append(el('strong', { class: 'who' }, who));
    entry.append(el('p', { class: 'text' }, item.message));
    list.append(entry);
  }
}

/** Names for the category and kelurahan codes of the view, fetched once. */
async function names() {
  const view = state.view;
  if (!view) return;
  if (!state.categories) {
    /** @type {ApiResult<CategoryView[]>} */
    const result = await api('/api/v1/categories');
    if (result.ok) state.categories = new Map(result.data.map((c) => [c.code, c]));
  }
  const kecamatan = view.kelurahan.split('.').slice(0, 3).join('.');
  if (!state.areaNames.has(view.kelurahan)) {
    /** @type {ApiResult<AreaView[]>} */
    const result = await api(`/api/v1/areas?parent=${encodeURIComponent(kecamatan)}`);
    if (result.ok) for (const area of result.data) state.areaNames.set(area.code, area.name);
  }
  renderNames();
}

function renderNames() {
  const view = state.view;
  if (!view) return;
  const category = state.categories?.get(view.category);
  $('view-category').textContent = category ? (lang() === 'en' ? category.name_en || category.name : category.name) : view.category;
  $('view-kelurahan').textContent = state.areaNames.get(view.kelurahan) ?? view.kelurahan;
}

// --- photos --------------------------------------------------------------------------------

async function photos() {
  /** @type {ApiResult<PhotoSummary[]>} */
  const result = await api(complaintPath('/photos'), { headers: withCode() });
  const panel = $('photos-panel');
  const status = state.view?.status ?? '';
  const open = OPEN.has(status) || status === 'resolved';
  if (!result.ok) {
    panel.hidden = true;
    return;
  }
  state.photoCount = result.data.length;
  panel.hidden = state.photoCount === 0 && !open;
  $('photo-add').hidden = !open || state.photoCount >= MAX_PHOTOS;
  for (const url of state.photoUrls) URL.revokeObjectURL(url);
  state.photoUrls = [];
  const thumbs = $('photo-thumbs');
  thumbs.replaceChildren();
  let n = 0;
  for (const photo of result.data) {
    n += 1;
    // An <img src> cannot send the access code header: fetch the bytes and show them from a blob.
    const response = await fetch(complaintPath(`/photos/${photo.id}`), { headers: withCode(), credentials: 'omit', referrerPolicy: 'no-referrer' }).catch(() => null);
    if (!response?.ok) continue;
    const url = URL.createObjectURL(await response.blob());
    state.photoUrls.push(url);
    const item = el('li');
    item.append(el('img', { src: url, alt: t('track.photo_alt', { n }), 'data-photo-id': photo.id }));
    thumbs.append(item);
  }
}

async function addPhoto() {
  const input = $('photo-more', HTMLInputElement);
  const file = input.files?.[0];
  input.value = '';
  if (!file) return;
  const problem = photoProblem(file);
  setFieldError('photo-more', problem ?? '');
  if (problem) return;
  setStatus('photo-more-status', t('photo.uploading', { name: file.name }));
  const result = await uploadPhoto(state.trackingNumber, state.accessCode, file);
  if (!result.ok) {
    setStatus('photo-more-status', '');
    setFieldError('photo-more', t('photo.failed', { name: file.name, reason: photoFailureText(result) }));
    return;
  }
  setStatus('photo-more-status', t('photo.uploaded', { name: file.name }), 'ok');
  await photos();
}

// --- the resident's writes -----------------------------------------------------------------

/** @param {ApiResult<unknown>} result */
function firstError(result) {
  const errors = (!result.ok && result.data?.errors) || [];
  return errors.length ? errors.map((e) => String(e.message ?? '')).join(' ') : failureText(result);
}

/** @param {SubmitEvent} event */
async function reply(event) {
  event.preventDefault();
  const message = $('reply-message', HTMLTextAreaElement).value.trim();
  if (visibleLength(message) < 2) {
    setFieldError('reply-message', t('track.reply_short'));
    $('reply-message', HTMLTextAreaElement).focus();
    return;
  }
  setFieldError('reply-message', '');
  setStatus('reply-status', t('form.sending'));
  const result = await api(complaintPath('/replies'), { method: 'POST', body: { message }, headers: withCode() });
  if (!result.ok) {
    setStatus('reply-status', '');
    setFieldError('reply-message', firstError(result));
    $('reply-message', HTMLTextAreaElement).focus();
    return;
  }
  $('reply-message', HTMLTextAreaElement).value = '';
  await load();
  setStatus('reply-status', t('track.reply_sent'), 'ok');
}

/** @param {SubmitEvent} event */
async function feedback(event) {
  event.preventDefault();
  const satisfied = document.querySelector('input[name="satisfied"]:checked')?.getAttribute('value');
  if (!satisfied) {
    setFieldError('feedback', t('track.feedback_choose'));
    $('satisfied-yes', HTMLInputElement).focus();
    return;
  }
  setFieldError('feedback', '');
  /** @type {{ satisfied: boolean; rating?: number; comment?: string }} */
  const body = { satisfied: satisfied === 'yes' };
  const rating = document.querySelector('input[name="rating"]:checked')?.getAttribute('value');
  if (rating) body.rating = Number(rating);
  const comment = $('feedback-comment', HTMLTextAreaElement).value.trim();
  if (comment) body.comment = comment;
  setStatus('feedback-status', t('form.sending'));
  const result = await api(complaintPath('/feedback'), { method: 'POST', body, headers: withCode() });
  if (!result.ok) {
    setStatus('feedback-status', '');
    setFieldError('feedback', firstError(result));
    return;
  }
  await load();
  setStatus('feedback-status', t('track.feedback_sent'), 'ok');
}

// --- start ---------------------------------------------------------------------------------

function start() {
  initLanguage();
  onLangChange(() => {
    if (state.view) load();
  });
  $('lookup-form', HTMLFormElement).addEventListener('submit', lookup);
  $('reply-form', HTMLFormElement).addEventListener('submit', reply);
  $('feedback-form', HTMLFormElement).addEventListener('submit', feedback);
  $('photo-more', HTMLInputElement).addEventListener('change', addPhoto);
  $('refresh', HTMLButtonElement).addEventListener('click', () => load());
  const { trackingNumber, accessCode } = fromFragment();
  $('tracking-number', HTMLInputElement).value = trackingNumber;
  $('access-code', HTMLInputElement).value = accessCode;
  if (trackingNumber && accessCode) lookup();
  else document.body.dataset.ready = 'true';
}

start();
