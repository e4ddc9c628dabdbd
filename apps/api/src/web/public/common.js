// Shared by the resident pages: language, API calls, and safe DOM building. Text from the API
// is only ever set with textContent, never parsed as HTML.
import { STRINGS } from './strings.js';

const LANG_KEY = 'aduan.lang';
const listeners = [];
let current = readLang();

function readLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function lang() {
  return current;
}

/** The text for a key in the current language, with `{name}` filled from vars. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.id[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** Puts the current language's text into every [data-i18n] element and sets <html lang>. */
export function applyStrings(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  const title = document.querySelector('title[data-i18n]');
  if (title) document.title = t(title.dataset.i18n);
  const button = document.getElementById('lang-switch');
  if (button) {
    button.textContent = t('common.lang_switch');
    button.lang = current === 'id' ? 'en' : 'id';
  }
}

export function onLangChange(listener) {
  listeners.push(listener);
}

/** Wires the language button; the choice persists in localStorage. */
export function initLanguage() {
  applyStrings();
  document.getElementById('lang-switch')?.addEventListener('click', () => {
    current = current === 'id' ? 'en' : 'id';
    try {
      localStorage.setItem(LANG_KEY, current);
    } catch {
      // Private mode without storage: the switch still works for this page.
    }
    applyStrings();
    for (const listener of listeners) listener(current);
  });
}

/**
 * Calls the API. Resolves to {ok, status, data, retryAfter}; a network failure gives status 0.
 * `body` is sent as JSON unless it is a Blob (a photo), which is sent as is.
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', 'Accept-Language': current, ...headers }, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };
  if (body instanceof Blob) {
    init.body = body;
    init.headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: null, retryAfter: null };
  }
  let data = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data, retryAfter: response.headers.get('retry-after') };
}

/** A sentence for a failed call that has no field errors to show. */
export function failureText(result) {
  if (result.status === 0) return t('common.network_error');
  if (result.status === 429) return t('common.rate_limited', { seconds: result.retryAfter ?? 60 });
  if (result.status >= 500) return t('common.server_error');
  return result.data?.detail ?? t('common.server_error');
}

/** Creates an element; text goes in with textContent. */
export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shows (or, with an empty message, hides) the error under a field and marks the field invalid. */
export function setFieldError(id, message) {
  const box = document.getElementById(`${id}-error`);
  const input = document.getElementById(id);
  if (box) {
    box.textContent = message ?? '';
    box.hidden = !message;
  }
  if (input && 'setAttribute' in input && ['INPUT', 'SELECT', 'TEXTAREA'].includes(input.tagName)) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

export function setStatus(id, message, kind = '') {
  const node = document.getElementById(id);
  if (!node) return;
  node.textContent = message ?? '';
  node.className = `status${kind ? ` ${kind}` : ''}`;
}

/** A date and time in the resident's language and local time zone. */
export function formatDateTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

export function formatSize(bytes) {
  return bytes < 1024 * 1024 ? t('common.kb', { n: Math.max(1, Math.round(bytes / 1024)) }) : t('common.mb', { n: (bytes / 1024 / 1024).toFixed(1) });
}

// The server's definition of visible text (visibleLength in libs/platform/src/http/safe-text.ts),
// mirrored so that the counters agree with what the server accepts: invisible characters
// (zero-width spaces and joiners, BOM, bidi controls, fillers, combining marks on their own) count
// for nothing, a run of white space counts once, white space at the ends not at all.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}\p{Cc}\u2800]/gu;
const TAB_OR_BREAK = /[\t\n\v\f\r]/u;

/** The characters a reader sees, counted as the server counts them. */
export function visibleLength(text) {
  const seen = text.normalize('NFC').replace(INVISIBLE, (c) => (TAB_OR_BREAK.test(c) ? c : ''));
  return [...seen.replace(/\s+/gu, ' ').trim()].length;
}

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** A first check in the browser; the server reads the real type from the bytes. */
export function photoProblem(file) {
  if (file.type && !PHOTO_TYPES.includes(file.type)) return t('form.photo_type', { name: file.name });
  if (file.size > MAX_PHOTO_BYTES) return t('form.photo_too_big', { name: file.name });
  return null;
}

/** Why the server refused a photo, in the resident's language. */
export function photoFailureText(result) {
  if (result.status === 415) return t('photo.refused_type');
  if (result.status === 413) return /photos/.test(result.data?.detail ?? '') ? t('photo.refused_count') : t('photo.refused_size');
  return failureText(result);
}

/** Uploads one photo: the body is the file itself. */
export function uploadPhoto(trackingNumber, accessCode, file) {
  return api(`/api/v1/complaints/${encodeURIComponent(trackingNumber)}/photos`, { method: 'POST', body: file, headers: { 'X-Access-Code': accessCode } });
}

/** Copies the text of an element, with a fallback that selects it for the person to copy. */
export async function copyText(node) {
  const text = node.textContent ?? '';
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(node);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return false;
  }
}
