// The officials' session, shared by the console and the oversight page (one sign-in for both).
// It lives in memory and in sessionStorage (this tab only, gone when it closes), never in
// localStorage, so a shared office computer does not keep an official signed in.
import { api } from './common.js';

/** @typedef {import('../page-types').SignedIn} SignedIn */
/** @typedef {import('../page-types').SessionTokens} SessionTokens */
/**
 * @template T
 * @typedef {import('./common.js').ApiResult<T>} ApiResult
 */
/** @typedef {import('./common.js').CallOptions} CallOptions */
/** @typedef {{ access_token: string; refresh_token: string; expires_at: number; official: SignedIn['official'] }} Session */
/** @typedef {{ session: Session | null; refreshTimer: ReturnType<typeof setTimeout> | undefined; refreshing: Promise<boolean> | null }} SessionState */

const SESSION_KEY = 'aduan.console.session';
/** A token is refreshed this long before it expires. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * The session over a page's own state (its `session`, `refreshTimer` and `refreshing`);
 * `endSession` is the page's sign-out, which clears what that page shows.
 * @param {SessionState} state
 * @param {(noticeKey: string) => void} endSession
 */
export function officialSession(state, endSession) {
  /** @returns {Session | null} */
  function loadSession() {
    try {
      const stored = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
      if (stored?.access_token && stored?.refresh_token && stored?.official) return stored;
    } catch {
      // Storage refused or garbled: sign in again.
    }
    return null;
  }

  function saveSession() {
    try {
      if (state.session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(state.session));
      else sessionStorage.removeItem(SESSION_KEY);
    } catch {
      // Without storage the session still lives in memory until the page is closed.
    }
  }

  /**
   * @param {SessionTokens} tokens
   * @param {SignedIn['official']} [official]
   */
  function adopt(tokens, official) {
    const who = official ?? state.session?.official;
    if (!who) return;
    state.session = {
      access_token: tokens.access_token,
      refresh_token: tokens.refresh_token,
      expires_at: Date.now() + Number(tokens.expires_in ?? 900) * 1000,
      official: who,
    };
    saveSession();
    scheduleRefresh();
  }

  function scheduleRefresh() {
    clearTimeout(state.refreshTimer);
    if (!state.session) return;
    const wait = Math.max(5_000, state.session.expires_at - Date.now() - REFRESH_MARGIN_MS);
    state.refreshTimer = setTimeout(() => refreshSession(), wait);
  }

  /**
   * Trades the refresh token for new tokens. A refresh token works once, so concurrent callers
   * share one attempt. False when the session is over (or the network is down: retried later).
   * @returns {Promise<boolean>}
   */
  function refreshSession() {
    const session = state.session;
    if (!session) return Promise.resolve(false);
    state.refreshing ??= (async () => {
      /** @type {ApiResult<SessionTokens>} */
      const result = await api('/api/v1/auth/refresh', { method: 'POST', body: { refresh_token: session.refresh_token } });
      if (result.ok) {
        adopt(result.data);
        return true;
      }
      if (result.status === 0 || result.status >= 500 || result.status === 429) {
        clearTimeout(state.refreshTimer);
        state.refreshTimer = setTimeout(() => refreshSession(), 15_000);
        return false;
      }
      endSession('console.session_ended');
      return false;
    })().finally(() => {
      state.refreshing = null;
    });
    return state.refreshing;
  }

  /**
   * An API call with the bearer token; a 401 tries one refresh, then sends the official to sign in.
   * @template T
   * @param {string} path
   * @param {CallOptions} [options]
   * @returns {Promise<ApiResult<T>>}
   */
  async function authed(path, options = {}) {
    if (!state.session) return { ok: false, status: 401, data: null, retryAfter: null };
    if (state.session.expires_at - Date.now() < 10_000) await refreshSession();
    /** @returns {Promise<ApiResult<T>>} */
    const send = () => api(path, { ...options, headers: { ...options.headers, Authorization: `Bearer ${state.session?.access_token ?? ''}` } });
    let result = await send();
    if (result.status === 401 && state.session && (await refreshSession())) result = await send();
    if (result.status === 401 && state.session) endSession('console.session_ended');
    return result;
  }

  return { loadSession, saveSession, adopt, scheduleRefresh, refreshSession, authed };
}
