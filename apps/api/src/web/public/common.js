// Shared by the resident pages: language, API calls, and safe DOM building. Text from the API
// is only ever set with textContent, never parsed as HTML.
import { STRINGS } from './strings.js';

/** @typedef {import('../page-types').ProblemDocument} ProblemDocument */
/** @typedef {'id' | 'en'} Lang */
/**
 * What a call answered: the body in the server's own type when it succeeded, its problem document
 * (or null) when it did not; status 0 is a network failure.
 * @template T
 * @typedef {{ ok: true; status: number; data: T; retryAfter: string | null }
 *   | { ok: false; status: number; data: ProblemDocument | null; retryAfter: string | null }} ApiResult
 */
/** @typedef {{ method?: string; body?: unknown; headers?: Record<string, string> }} CallOptions */

const LANG_KEY = 'aduan.lang';
/** @type {((lang: Lang) => void)[]} */
const listeners = [];
/** @type {Lang} */
let current = readLang();

/** @returns {Lang} */
function readLang() {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

/** @returns {Lang} */
export function lang() {
  return current;
}

/**
 * The text for a key in the current language, with `{name}` filled from vars.
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 * @returns {string}
 */
export function t(key, vars = {}) {
  /** @type {Record<string, string | undefined>} */
  const here = STRINGS[current];
  /** @type {Record<string, string | undefined>} */
  const fallback = STRINGS.id;
  const text = here[key] ?? fallback[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, /** @type {string} */ name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/**
 * Puts the current language's text into every [data-i18n] element and sets <html lang>.
 * @param {ParentNode} [root]
 */
export function applyStrings(root = document) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(/** @type {HTMLElement} */ (node).dataset.i18n ?? '');
  const title = document.querySelector('title[data-i18n]');
  if (title instanceof HTMLElement) document.title = t(title.dataset.i18n ?? '');
  const button = document.getElementById('lang-switch');
  if (button) {
    button.textContent = t('common.lang_switch');
    button.lang = current === 'id' ? 'en' : 'id';
  }
}

/** @param {(lang: Lang) => void} listener */
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
 * `body` is sent as JSON unless it is a Blob (a photo), which is sent as is. T is the
 * answer's type, given by the caller's `@type {ApiResult<…>}`.
 * @template T
 * @param {string} path
 * @param {CallOptions} [options]
 * @returns {Promise<ApiResult<T>>}
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  /** @type {Record<string, string>} */
  const sent = { Accept: 'application/json', 'Accept-Language': current, ...headers };
  /** @type {RequestInit} */
  const init = { method, headers: sent, credentials: 'omit', referrerPolicy: 'no-referrer', cache: 'no-store' };
  if (body instanceof Blob) {
    init.body = body;
    sent['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    sent['Content-Type'] = 'application/json';
  }
  /** @type {Response} */
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, data: null, retryAfter: null };
  }
  /** @type {any} the server's JSON: T when ok, a problem document otherwise */
  let data = null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data, retryAfter: response.headers.get('retry-after') };
}

/**
 * A sentence for a failed call that has no field errors to show.
 * @param {ApiResult<unknown>} result
 */
export function failureText(result) {
  if (result.status === 0) return t('common.network_error');
  if (result.status === 429) return t('common.rate_limited', { seconds: result.retryAfter ?? 60 });
  if (result.status >= 500) return t('common.server_error');
  return (!result.ok && result.data?.detail) || t('common.server_error');
}

/**
 * The page's element with this id, of the kind given (HTMLElement when none is). A missing or
 * different element is a bug in the page: it throws here rather than as a null further on.
 * @template {HTMLElement} [E=HTMLElement]
 * @param {string} id
 * @param {{ new (): E; prototype: E }} [kind]
 * @returns {E}
 */
export function byId(id, kind) {
  const node = document.getElementById(id);
  const want = kind ?? HTMLElement;
  if (!(node instanceof want)) throw new Error(`#${id} is ${document.getElementById(id)?.tagName ?? 'missing'}, not ${want.name}`);
  return /** @type {E} */ (node);
}

/**
 * Creates an element; text goes in with textContent.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Shows (or, with an empty message, hides) the error under a field and marks the field invalid. */
/**
 * @param {string} id
 * @param {string | null} [message]
 */
export function setFieldError(id, message) {
  const box = document.getElementById(`${id}-error`);
  const input = document.getElementById(id);
  if (box) {
    box.textContent = message ?? '';
    box.hidden = !message;
  }
  if (input && ['INPUT', 'SELECT', 'TEXTAREA'].includes(input.tagName)) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

/**
 * @param {string} id
 * @param {string | null} [message]
 * @param {string} [kind]
 */
export function setStatus(id, message, kind = '') {
  const node = document.getElementById(id);
  if (!node) return;
  node.textContent = message ?? '';
  node.className = `status${kind ? ` ${kind}` : ''}`;
}

/**
 * A date and time in the resident's language and local time zone.
 * @param {string | null | undefined} iso
 */
export function formatDateTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'id-ID', { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

/**
 * A number as the language writes it: "1.000" and "2,5" in Bahasa Indonesia, "1,000" and "2.5" in English.
 * @param {number} n @param {number} [digits] the most decimals shown
 */
export function formatNumber(n, digits = 0) {
  return new Intl.NumberFormat(current === 'en' ? 'en-GB' : 'id-ID', { maximumFractionDigits: digits }).format(n);
}

/** @param {number} bytes */
export function formatSize(bytes) {
  return bytes < 1024 * 1024 ? t('common.kb', { n: formatNumber(Math.max(1, Math.round(bytes / 1024))) }) : t('common.mb', { n: formatNumber(bytes / 1024 / 1024, 1) });
}

// The server's definition of visible text (visibleLength in libs/platform/src/http/safe-text.ts),
// mirrored so that the counters agree with what the server accepts: invisible characters
// (zero-width spaces and joiners, BOM, bidi controls, fillers, combining marks on their own) count
// for nothing, a run of white space counts once, white space at the ends not at all.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{M}\p{Cc}\u2800]/gu;
const TAB_OR_BREAK = /[\t\n\v\f\r]/u;

/**
 * The characters a reader sees, counted as the server counts them.
 * @param {string} text
 */
export function visibleLength(text) {
  const seen = text.normalize('NFC').replace(INVISIBLE, (c) => (TAB_OR_BREAK.test(c) ? c : ''));
  return [...seen.replace(/\s+/gu, ' ').trim()].length;
}

export const MAX_PHOTOS = 3;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

/**
 * A first check in the browser; the server reads the real type from the bytes.
 * @param {File} file
 */
export function photoProblem(file) {
  if (file.type && !PHOTO_TYPES.includes(file.type)) return t('form.photo_type', { name: file.name });
  if (file.size > MAX_PHOTO_BYTES) return t('form.photo_too_big', { name: file.name });
  return null;
}

/**
 * Why the server refused a photo, in the resident's language.
 * @param {ApiResult<unknown>} result
 */
export function photoFailureText(result) {
  if (result.status === 415) return t('photo.refused_type');
  if (result.status === 413) return /photos/.test((!result.ok && result.data?.detail) || '') ? t('photo.refused_count') : t('photo.refused_size');
  return failureText(result);
}

/**
 * Uploads one photo: the body is the file itself.
 * @param {string} trackingNumber
 * @param {string} accessCode
 * @param {File} file
 * @returns {Promise<ApiResult<unknown>>}
 */
export function uploadPhoto(trackingNumber, accessCode, file) {
  return api(`/api/v1/complaints/${encodeURIComponent(trackingNumber)}/photos`, { method: 'POST', body: file, headers: { 'X-Access-Code': accessCode } });
}

/**
 * Copies the text of an element, with a fallback that selects it for the person to copy.
 * @param {Node} node
 */
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
