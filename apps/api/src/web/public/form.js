// The complaint form at `/`: pickers from the directory API, live checks as the server makes
// them, then the tracking number and access code, then the photos, one request each.
import {
  api, byId, copyText, el, failureText, formatNumber, formatSize, initLanguage, lang, MAX_PHOTOS, onLangChange,
  photoFailureText, photoProblem, setFieldError, setStatus, t, uploadPhoto, visibleLength,
} from './common.js';
import { aboutOfficial, accusedBody, accusedErrors, impliedByCategory, initAccused } from './accused.js';

/** @typedef {import('../page-types').TenantView} TenantView */
/** @typedef {import('../page-types').AreaView} AreaView */
/** @typedef {import('../page-types').CategoryView} CategoryView */
/** @typedef {import('../page-types').ComplaintReceipt} ComplaintReceipt */
/** @typedef {import('../page-types').SubmitComplaintInput} ComplaintBody */
/**
 * @template T
 * @typedef {import('./common.js').ApiResult<T>} ApiResult
 */
/** @typedef {[field: string | null, message: string]} ShownError */

const $ = byId;
const form = $('complaint-form', HTMLFormElement);

/**
 * @type {{ categories: Map<string, CategoryView>; categoryList: CategoryView[]; photos: File[];
 *   location: { lat: number; long: number; accuracy: number } | null; locationNote: string; clientErrors: [string, string][];
 *   privacyBeforeLock: { anonymous: boolean; confidential: boolean } | null; idempotency: { body: string; key: string } }}
 */
const state = {
  categories: new Map(),
  categoryList: [],
  photos: [],
  location: null,
  locationNote: '',
  clientErrors: [],
  privacyBeforeLock: null,
  idempotency: { body: '', key: '' },
};

/**
 * Where the API's `errors[].field` shows up on the page.
 * @type {Record<string, string | undefined>}
 */
const FIELD_OF = {
  tenant: 'tenant',
  kecamatan: 'kecamatan',
  kelurahan: 'kelurahan',
  category: 'category',
  description: 'description',
  address: 'address',
  lat: 'location',
  long: 'location',
  'reporter.name': 'name',
  'reporter.phone': 'phone',
  'reporter.email': 'email',
  anonymous: 'privacy',
  confidential: 'privacy',
  'accused.position': 'accused-position',
  'accused.unit': 'accused-position',
  'accused.name': 'accused-name',
};
/**
 * Our own words for what the server refuses in these fields; other fields show the server's text.
 * @type {Record<string, string | undefined>}
 */
const MESSAGE_OF = { email: 'valid.email', phone: 'valid.phone' };
/** @type {Record<string, string>} */
const LABEL_OF = {
  tenant: 'form.tenant', kecamatan: 'form.kecamatan', kelurahan: 'form.kelurahan', category: 'form.category', description: 'form.description',
  address: 'form.address', location: 'form.location', name: 'form.name', phone: 'form.phone', email: 'form.email', privacy: 'form.privacy', photos: 'form.photos',
  'accused-position': 'form.accused_position', 'accused-other': 'form.accused_other', 'accused-name': 'form.accused_name',
};

// --- pickers -------------------------------------------------------------------------------

/**
 * @param {HTMLSelectElement} select
 * @param {{ code: string; name: string }[]} items
 * @param {string} placeholder
 */
function fillSelect(select, items, placeholder) {
  const keep = select.value;
  select.replaceChildren(el('option', { value: '' }, placeholder));
  for (const item of items) select.append(el('option', { value: item.code }, item.name));
  if (items.some((i) => i.code === keep)) select.value = keep;
}

/**
 * The areas under a tenant or kecamatan; throws the failed result.
 * @param {string} parent
 * @returns {Promise<AreaView[]>}
 */
async function loadAreas(parent) {
  /** @type {ApiResult<AreaView[]>} */
  const result = await api(`/api/v1/areas?parent=${encodeURIComponent(parent)}`);
  if (!result.ok) throw result;
  return result.data;
}

async function onTenant() {
  const kecamatan = $('kecamatan', HTMLSelectElement);
  const kelurahan = $('kelurahan', HTMLSelectElement);
  fillSelect(kelurahan, [], '');
  kelurahan.disabled = true;
  if (!$('tenant', HTMLSelectElement).value) {
    fillSelect(kecamatan, [], '');
    kecamatan.disabled = true;
    renderPlaceholders();
    return;
  }
  fillSelect(kecamatan, [], t('common.loading'));
  try {
    fillSelect(kecamatan, await loadAreas($('tenant', HTMLSelectElement).value), t('common.choose'));
    kecamatan.disabled = false;
    renderPlaceholders();
  } catch (result) {
    fillSelect(kecamatan, [], t('common.choose'));
    setFieldError('kecamatan', failureText(/** @type {ApiResult<unknown>} */ (result)));
  }
}

async function onKecamatan() {
  const kelurahan = $('kelurahan', HTMLSelectElement);
  if (!$('kecamatan', HTMLSelectElement).value) {
    fillSelect(kelurahan, [], '');
    kelurahan.disabled = true;
    renderPlaceholders();
    return;
  }
  fillSelect(kelurahan, [], t('common.loading'));
  try {
    fillSelect(kelurahan, await loadAreas($('kecamatan', HTMLSelectElement).value), t('common.choose'));
    kelurahan.disabled = false;
  } catch (result) {
    fillSelect(kelurahan, [], t('common.choose'));
    setFieldError('kelurahan', failureText(/** @type {ApiResult<unknown>} */ (result)));
  }
}

function renderCategories() {
  const select = $('category', HTMLSelectElement);
  const keep = select.value;
  select.replaceChildren(el('option', { value: '' }, t('common.choose')));
  /** @type {Map<string, HTMLOptGroupElement>} */
  const groups = new Map();
  for (const c of state.categoryList) {
    let optgroup = groups.get(c.group);
    if (!optgroup) {
      const label = t(`group.${c.group}`);
      optgroup = el('optgroup', { label: label.startsWith('group.') ? c.group.replace(/_/g, ' ') : label });
      groups.set(c.group, optgroup);
      select.append(optgroup);
    }
    optgroup.append(el('option', { value: c.code }, lang() === 'en' ? c.name_en || c.name : c.name));
  }
  select.value = keep;
  onCategory();
}

/** Shows the category's description; complaints about an official lock the privacy choices on. */
function onCategory() {
  const category = state.categories.get($('category', HTMLSelectElement).value);
  $('category-description').textContent = category ? (lang() === 'en' ? category.description_en || category.description : category.description) : '';
  impliedByCategory(Boolean(category?.about_official));
  const locked = aboutOfficial();
  $('official-notice').hidden = !locked;
  const anonymous = $('anonymous', HTMLInputElement);
  const confidential = $('confidential', HTMLInputElement);
  if (locked && !state.privacyBeforeLock) {
    state.privacyBeforeLock = { anonymous: anonymous.checked, confidential: confidential.checked };
    anonymous.checked = true;
    confidential.checked = true;
  } else if (!locked && state.privacyBeforeLock) {
    anonymous.checked = state.privacyBeforeLock.anonymous;
    confidential.checked = state.privacyBeforeLock.confidential;
    state.privacyBeforeLock = null;
  }
  anonymous.disabled = locked;
  confidential.disabled = locked;
  for (const input of [anonymous, confidential]) {
    if (locked) input.setAttribute('aria-describedby', `${input.id}-hint official-notice`);
    else input.setAttribute('aria-describedby', `${input.id}-hint`);
  }
}

// --- description counter -------------------------------------------------------------------

function renderCounter() {
  const n = visibleLength($('description', HTMLTextAreaElement).value);
  const counter = $('description-count');
  if (n < 10) counter.textContent = t('form.count_short', { n: formatNumber(n), missing: 10 - n });
  else if (n > 4000) counter.textContent = t('form.count_long', { n: formatNumber(n), extra: formatNumber(n - 4000) });
  else counter.textContent = t('form.count', { n: formatNumber(n) });
  // Red only once the resident has started typing: an empty box is not yet an error.
  counter.className = `counter${(n > 0 && n < 10) || n > 4000 ? ' off' : ''}`;
}

// --- map point -----------------------------------------------------------------------------

function renderLocation() {
  const value = $('location-value');
  if (state.location) {
    const { lat, long, accuracy } = state.location;
    value.textContent = t('form.location_value', { lat: lat.toFixed(6), long: long.toFixed(6), accuracy: Math.round(accuracy) });
  } else {
    value.textContent = state.locationNote ? t(state.locationNote) : '';
  }
  $('location-clear', HTMLButtonElement).hidden = !state.location;
}

function useLocation() {
  setFieldError('location', '');
  if (!('geolocation' in navigator) || !window.isSecureContext) {
    state.locationNote = 'form.location_unsupported';
    renderLocation();
    return;
  }
  state.locationNote = 'form.location_busy';
  renderLocation();
  navigator.geolocation.getCurrentPosition(
    (position) => {
      state.location = { lat: position.coords.latitude, long: position.coords.longitude, accuracy: position.coords.accuracy };
      state.locationNote = '';
      renderLocation();
    },
    (error) => {
      state.location = null;
      state.locationNote = error.code === error.PERMISSION_DENIED ? 'form.location_denied' : 'form.location_failed';
      renderLocation();
    },
    { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
  );
}

function clearLocation() {
  state.location = null;
  state.locationNote = '';
  renderLocation();
  $('location-use', HTMLButtonElement).focus();
}

// --- photos --------------------------------------------------------------------------------

function renderPhotos() {
  const list = $('photo-list');
  list.replaceChildren();
  state.photos.forEach((file, index) => {
    const remove = el('button', { type: 'button', class: 'link', 'aria-label': t('form.photo_remove', { name: file.name }) }, '×');
    remove.addEventListener('click', () => {
      state.photos.splice(index, 1);
      renderPhotos();
      $('photos', HTMLInputElement).focus();
    });
    const item = el('li', {}, `${file.name} (${formatSize(file.size)}) `);
    item.append(remove);
    list.append(item);
  });
}

function onPhotos() {
  const input = $('photos', HTMLInputElement);
  const problems = [];
  for (const file of input.files ?? []) {
    const problem = photoProblem(file);
    if (problem) problems.push(problem);
    else if (state.photos.length >= MAX_PHOTOS) problems.push(t('form.photo_too_many'));
    else state.photos.push(file);
  }
  input.value = '';
  setFieldError('photos', [...new Set(problems)].join(' '));
  renderPhotos();
}

// --- checks and errors ---------------------------------------------------------------------

/** @returns {[string, string][]} [field, string key] pairs */
function clientErrors() {
  /** @type {[string, string][]} */
  const errors = [];
  if (!$('tenant', HTMLSelectElement).value) errors.push(['tenant', 'valid.tenant']);
  else if (!$('kecamatan', HTMLSelectElement).value) errors.push(['kecamatan', 'valid.kecamatan']);
  else if (!$('kelurahan', HTMLSelectElement).value) errors.push(['kelurahan', 'valid.kelurahan']);
  if (!$('category', HTMLSelectElement).value) errors.push(['category', 'valid.category']);
  const n = visibleLength($('description', HTMLTextAreaElement).value);
  if (n < 10) errors.push(['description', 'valid.description_short']);
  if (n > 4000) errors.push(['description', 'valid.description_long']);
  const phone = $('phone', HTMLInputElement).value.trim();
  if (phone && !/^\+?[0-9 ()-]{6,20}$/.test(phone)) errors.push(['phone', 'valid.phone']);
  const email = $('email', HTMLInputElement);
  if (email.value.trim() && !email.validity.valid) errors.push(['email', 'valid.email']);
  errors.push(...accusedErrors());
  return errors;
}

function clearErrors() {
  for (const id of Object.keys(LABEL_OF)) setFieldError(id, '');
  $('form-errors').hidden = true;
  $('form-errors-list').replaceChildren();
}

/**
 * Errors as [fieldId | null, message]: each under its field and all in the summary at the top.
 * @param {ShownError[]} errors
 */
function showErrors(errors) {
  clearErrors();
  /** @type {Map<string, string[]>} */
  const byField = new Map();
  for (const [field, message] of errors) {
    if (field) byField.set(field, [...(byField.get(field) ?? []), message]);
    const text = field ? `${t(LABEL_OF[field]).replace(/ \(.*\)$/, '')}: ${message}` : message;
    const item = el('li');
    if (field) {
      const link = el('a', { href: `#${field === 'location' ? 'location-use' : field === 'privacy' ? 'anonymous' : field}` }, text);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        const target = document.getElementById((link.getAttribute('href') ?? '').slice(1));
        target?.focus();
        target?.scrollIntoView({ block: 'center' });
      });
      item.append(link);
    } else {
      item.textContent = text;
    }
    $('form-errors-list').append(item);
  }
  for (const [field, messages] of byField) setFieldError(field, messages.join(' '));
  $('form-errors').hidden = false;
  $('form-errors').focus();
}

// --- submit --------------------------------------------------------------------------------

/** @returns {ComplaintBody} */
function complaintBody() {
  /** @type {ComplaintBody} */
  const body = {
    category: $('category', HTMLSelectElement).value,
    kelurahan: $('kelurahan', HTMLSelectElement).value,
    description: $('description', HTMLTextAreaElement).value,
    anonymous: $('anonymous', HTMLInputElement).checked,
    confidential: $('confidential', HTMLInputElement).checked,
  };
  const address = $('address', HTMLInputElement).value.trim();
  if (address) body.address = address;
  if (state.location) {
    body.lat = Number(state.location.lat.toFixed(6));
    body.long = Number(state.location.long.toFixed(6));
  }
  /** @type {NonNullable<ComplaintBody['reporter']>} */
  const reporter = {};
  for (const field of /** @type {const} */ (['name', 'phone', 'email'])) {
    const value = $(field, HTMLInputElement).value.trim();
    if (value) reporter[field] = value;
  }
  if (Object.keys(reporter).length) body.reporter = reporter;
  const accused = accusedBody();
  if (accused) body.accused = accused;
  return body;
}

/**
 * One key per distinct body: a retry after a lost answer files nothing twice.
 * @param {string} json
 */
function idempotencyKey(json) {
  if (state.idempotency.body !== json) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    state.idempotency = { body: json, key: [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('') };
  }
  return state.idempotency.key;
}

/** @param {SubmitEvent} event */
async function submit(event) {
  event.preventDefault();
  state.clientErrors = clientErrors();
  if (state.clientErrors.length) {
    showErrors(state.clientErrors.map(([field, key]) => [field, t(key)]));
    return;
  }
  const body = complaintBody();
  const button = $('submit', HTMLButtonElement);
  button.disabled = true;
  setStatus('submit-status', t('form.sending'));
  /** @type {ApiResult<ComplaintReceipt>} */
  const result = await api('/api/v1/complaints', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey(JSON.stringify(body)) } });
  button.disabled = false;
  setStatus('submit-status', '');
  if (!result.ok) {
    const fieldErrors = result.data?.errors ?? [];
    const errors = fieldErrors.map((e) => {
      const field = FIELD_OF[e.field] ?? null;
      const ours = field ? MESSAGE_OF[field] : undefined;
      return /** @type {ShownError} */ ([field, ours ? t(ours) : String(e.message ?? '')]);
    });
    if (!errors.length) errors.push([null, failureText(result)]);
    else if (result.data?.detail) errors.unshift([null, String(result.data.detail)]);
    showErrors(errors);
    return;
  }
  await showDone(result.data, body);
}

/**
 * @param {ComplaintReceipt} receipt
 * @param {ComplaintBody} body
 */
async function showDone(receipt, body) {
  const { tracking_number: trackingNumber, access_code: accessCode } = receipt;
  form.hidden = true;
  $('intro').hidden = true;
  $('done').hidden = false;
  $('done-tn').textContent = trackingNumber;
  $('done-code').textContent = accessCode;
  // The code travels in the fragment: it is never sent to a server or in a Referer.
  $('done-link', HTMLAnchorElement).href = `/lacak#${encodeURIComponent(trackingNumber)}:${encodeURIComponent(accessCode)}`;
  $('done-category').textContent = $('category', HTMLSelectElement).selectedOptions[0]?.textContent ?? body.category;
  $('done-kelurahan').textContent = `${$('kelurahan', HTMLSelectElement).selectedOptions[0]?.textContent ?? body.kelurahan}, ${$('kecamatan', HTMLSelectElement).selectedOptions[0]?.textContent ?? ''}`;
  $('done-description').textContent = body.description.trim();
  renderPrivacy(body);
  onLangChange(() => renderPrivacy(body));
  window.scrollTo(0, 0);
  $('done').focus();
  if (state.photos.length) await uploadPhotos(trackingNumber, accessCode);
}

/** @param {ComplaintBody} body */
function renderPrivacy(body) {
  $('done-privacy').textContent = `${t(body.anonymous ? 'done.privacy_anonymous' : 'done.privacy_named')}, ${t(body.confidential ? 'done.privacy_confidential' : 'done.privacy_public')}`;
}

/**
 * @param {string} trackingNumber
 * @param {string} accessCode
 */
async function uploadPhotos(trackingNumber, accessCode) {
  $('photo-uploads').hidden = false;
  const list = $('photo-upload-list');
  let failed = false;
  for (const file of state.photos) {
    const item = el('li', {}, t('photo.uploading', { name: file.name }));
    list.append(item);
    const result = await uploadPhoto(trackingNumber, accessCode, file);
    if (result.ok) {
      item.textContent = t('photo.uploaded', { name: file.name });
      item.className = 'ok';
    } else {
      failed = true;
      item.textContent = t('photo.failed', { name: file.name, reason: photoFailureText(result) });
      item.className = 'error-text';
    }
  }
  if (failed) list.append(el('li', {}, t('photo.later')));
}

/** The first, empty option of each area picker, in the current language. */
function renderPlaceholders() {
  const parents = { tenant: null, kecamatan: 'form.tenant', kelurahan: 'form.kecamatan' };
  for (const [id, parent] of Object.entries(parents)) {
    const first = $(id, HTMLSelectElement).options[0];
    if (!first || first.value !== '') continue;
    first.textContent = $(id, HTMLSelectElement).disabled && parent ? t('common.choose_first', { what: t(parent).toLowerCase() }) : t('common.choose');
  }
}

// --- start ---------------------------------------------------------------------------------

async function start() {
  initLanguage();
  onLangChange(() => {
    renderCategories();
    renderCounter();
    renderLocation();
    renderPhotos();
    renderPlaceholders();
    if (!$('form-errors').hidden && state.clientErrors.length) showErrors(state.clientErrors.map(([field, key]) => [field, t(key)]));
  });
  form.addEventListener('submit', submit);
  initAccused(onCategory);
  $('tenant', HTMLSelectElement).addEventListener('change', onTenant);
  $('kecamatan', HTMLSelectElement).addEventListener('change', onKecamatan);
  $('category', HTMLSelectElement).addEventListener('change', onCategory);
  $('description', HTMLTextAreaElement).addEventListener('input', renderCounter);
  $('location-use', HTMLButtonElement).addEventListener('click', useLocation);
  $('location-clear', HTMLButtonElement).addEventListener('click', clearLocation);
  $('photos', HTMLInputElement).addEventListener('change', onPhotos);
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const copied = await copyText($(/** @type {HTMLButtonElement} */ (button).dataset.copy ?? ''));
      setStatus('copy-status', t(copied ? 'done.copied' : 'done.copy_failed'));
    });
  }
  renderCounter();
  fillSelect($('tenant', HTMLSelectElement), [], t('common.loading'));
  fillSelect($('kecamatan', HTMLSelectElement), [], '');
  fillSelect($('kelurahan', HTMLSelectElement), [], '');
  renderPlaceholders();
  /** @type {[ApiResult<TenantView[]>, ApiResult<CategoryView[]>]} */
  const [tenants, categories] = await Promise.all([api('/api/v1/tenants'), api('/api/v1/categories')]);
  if (!tenants.ok || !categories.ok) {
    showErrors([[null, failureText(tenants.ok ? categories : tenants)]]);
    return;
  }
  fillSelect($('tenant', HTMLSelectElement), tenants.data, t('common.choose'));
  state.categoryList = categories.data;
  state.categories = new Map(categories.data.map((c) => [c.code, c]));
  renderCategories();
  if (tenants.data.length === 1) {
    $('tenant', HTMLSelectElement).value = tenants.data[0].code;
    await onTenant();
  }
  document.body.dataset.ready = 'true';
}

start();
