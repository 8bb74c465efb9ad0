// The dashboard's only way to the collector: its JSON API (docs/api.md). Every failure becomes an ApiError
// with a message for people: the collector's {error, detail}, an unreachable collector, a timeout, a non-JSON reply.

import {el, clear} from './util.js';
import {askForToken} from './token.js';

export class ApiError extends Error {
  constructor(status, error, detail, url) {
    super(error + (detail ? ': ' + detail : ''));
    this.status = status;   // HTTP status, 0 when the collector could not be reached, -1 on timeout
    this.error = error;
    this.detail = detail || '';
    this.url = url;
  }

  get unreachable() { return this.status === 0; }
}

/** Query string of an object; null, undefined, '' and empty arrays are left out, arrays are comma-joined. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v == null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/**
 * Calls the API and returns the parsed JSON. options: {timeoutMs = 30000, method, body (FormData or object),
 * signal}. Throws ApiError.
 */
export async function api(path, params, options = {}) {
  for (;;) {
    try {
      return await call(path, params, options);
    } catch (e) {
      // A collector started with --token: ask once, then try again with the cookie the dialog set.
      if (!(e instanceof ApiError) || e.status !== 401 || !(await askForToken(e.detail === 'wrong access token'))) throw e;
    }
  }
}

async function call(path, params, options) {
  const url = '/api/v1/' + path + query(params);
  const ctl = new AbortController();
  const timeoutMs = options.timeoutMs || 30000;
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; ctl.abort(); }, timeoutMs);
  if (options.signal) {
    if (options.signal.aborted) ctl.abort();
    else options.signal.addEventListener('abort', () => ctl.abort(), {once: true});
  }
  const init = {method: options.method || 'GET', signal: ctl.signal, headers: {Accept: 'application/json'}};
  if (options.body instanceof FormData) init.body = options.body;
  else if (options.body !== undefined) {
    init.body = JSON.stringify(options.body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    clearTimeout(timer);
    if (timedOut) {
      throw new ApiError(-1, 'no answer', 'the collector did not answer ' + path + ' within ' + Math.round(timeoutMs / 1000) + ' s', url);
    }
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'collector unreachable', 'cannot reach the collector at ' + location.origin
      + ' (' + (e && e.message ? e.message : 'network error') + '); is mpdiag serve still running?', url);
  }
  let text;
  try {
    text = await res.text();
  } catch (e) {
    clearTimeout(timer);
    if (timedOut) throw new ApiError(-1, 'no answer', 'the answer to ' + path + ' took over ' + Math.round(timeoutMs / 1000) + ' s', url);
    throw new ApiError(0, 'connection lost', 'the connection to the collector broke while reading ' + path, url);
  }
  clearTimeout(timer);
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    throw new ApiError(res.status, 'bad answer', 'the collector sent ' + res.status + ' with a body that is not JSON: '
      + text.slice(0, 160), url);
  }
  if (!res.ok) {
    const err = body && body.error ? body.error : 'HTTP ' + res.status;
    throw new ApiError(res.status, err, body && body.detail ? body.detail : '', url);
  }
  return body;
}

/**
 * The process list every view starts from, or null after showing in box why it could not be had (the view
 * then mounts as an empty shell with that message).
 */
export async function processesOr(ctx, box) {
  try {
    return await ctx.processes();
  } catch (e) {
    clear(box, errorBox(e, 'Process list'));
    ctx.status('error');
    return null;
  }
}

/** A visible message box for an error (ApiError or anything thrown). */
export function errorBox(err, context) {
  const e = err instanceof ApiError ? err : null;
  const title = (context ? context + ': ' : '') + (e ? e.error : 'something went wrong');
  const detail = e ? e.detail : String(err && err.message ? err.message : err);
  return el('div.msg.msg-error', {role: 'alert', dataset: {role: 'error', status: e ? String(e.status) : ''}},
    el('strong', title), detail ? el('div.msg-detail', detail) : null);
}

export function infoBox(text, ...more) {
  return el('div.msg.msg-info', {dataset: {role: 'info'}}, text, ...more);
}

/** A loading line that shows elapsed seconds, so a slow answer never looks like a hung page. */
export function loadingBox(text) {
  const t0 = performance.now();
  const secs = el('span.loading-secs');
  const box = el('div.loading', {dataset: {role: 'loading'}}, el('span.spinner'), text || 'Loading\u2026', ' ', secs);
  const timer = setInterval(() => {
    if (!box.isConnected) { clearInterval(timer); return; }
    const s = Math.round((performance.now() - t0) / 1000);
    secs.textContent = s >= 2 ? '(' + s + ' s)' : '';
  }, 1000);
  return box;
}
