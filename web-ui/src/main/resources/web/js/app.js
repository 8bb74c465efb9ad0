// The dashboard's shell: a hash router (#/view?state), the navigation, the shared process list and the
// connection indicator. Every view keeps its whole state in the hash's query string, so a link can be shared.

import {api, ApiError, errorBox} from './api.js';
import {el, clear} from './util.js';

const VIEWS = {
  overview: () => import('./views/overview.js'),
  flame: () => import('./views/flamegraph.js'),
  heatmap: () => import('./views/heatmap.js'),
  diff: () => import('./views/diff.js'),
  locks: () => import('./views/locks.js'),
  checks: () => import('./views/checks.js'),
  rules: () => import('./views/rules.js'),
  runs: () => import('./views/runs.js'),
  upload: () => import('./views/upload.js'),
};

const viewEl = document.getElementById('view');
const banner = document.getElementById('banner');
const conn = document.getElementById('conn');
let current = null;     // {name, instance}
let mountSeq = 0;
let processCache = null; // {at, promise}

function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const q = h.indexOf('?');
  const name = (q < 0 ? h : h.slice(0, q)) || 'overview';
  return {name, params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1))};
}

function hashOf(name, params) {
  const s = params.toString();
  return '#/' + name + (s ? '?' + s : '');
}

/** Marks the connection as fine or broken; a broken one also shows the banner. */
export function connection(ok, err) {
  conn.dataset.state = ok ? 'ok' : 'down';
  conn.textContent = ok ? 'connected' : 'collector unreachable';
  if (ok) {
    if (banner.dataset.kind === 'conn') { banner.hidden = true; banner.dataset.kind = ''; }
  } else {
    banner.dataset.kind = 'conn';
    clear(banner, errorBox(err || new ApiError(0, 'collector unreachable', 'retrying\u2026')));
    banner.hidden = false;
  }
}

function makeContext(name, params, seq) {
  return {
    name,
    params,
    /** Writes state into the URL without reloading the view; null or '' removes a parameter. */
    set(changes, {push = false} = {}) {
      if (seq !== mountSeq) return;
      for (const [k, v] of Object.entries(changes)) {
        if (v == null || v === '' || (Array.isArray(v) && !v.length)) params.delete(k);
        else params.set(k, Array.isArray(v) ? v.join(',') : String(v));
      }
      const h = hashOf(name, params);
      if (h !== location.hash) history[push ? 'pushState' : 'replaceState'](null, '', h);
    },
    /** Navigates to another view or state (mounts it). */
    go(hash) { location.hash = hash; },
    href(view, obj) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(obj || {})) {
        if (v == null || v === '' || (Array.isArray(v) && !v.length)) continue;
        p.set(k, Array.isArray(v) ? v.join(',') : String(v));
      }
      return hashOf(view, p);
    },
    /** The process list, shared by the views and refreshed at most every 2 s. */
    async processes(force) {
      const now = Date.now();
      if (force || !processCache || now - processCache.at > 2000) {
        const promise = api('processes').then(r => { connection(true); return r; }, e => {
          if (e instanceof ApiError && e.unreachable) connection(false, e);
          processCache = null;
          throw e;
        });
        processCache = {at: now, promise};
      }
      return (await processCache.promise).processes;
    },
    status(s) { if (seq === mountSeq) viewEl.dataset.status = s; },
    alive() { return seq === mountSeq; },
  };
}

async function route() {
  const {name, params} = parseHash();
  const seq = ++mountSeq;
  if (current && current.instance && current.instance.unmount) {
    try { current.instance.unmount(); } catch (e) { console.warn('unmount', e); }
  }
  current = null;
  for (const a of document.querySelectorAll('#nav a')) a.setAttribute('aria-current', String(a.dataset.view === name));
  document.body.dataset.view = name;
  viewEl.dataset.status = 'loading';
  const root = el('div.view-root', {dataset: {view: name}});
  clear(viewEl, root);
  if (!VIEWS[name]) {
    viewEl.dataset.status = 'error';
    root.appendChild(errorBox(new ApiError(404, 'unknown view', '"' + name + '" is not a view of this dashboard; '
      + 'choose one above (overview, flame, diff, locks, checks, rules, runs, upload)')));
    return;
  }
  let mod;
  try {
    mod = await VIEWS[name]();
  } catch (e) {
    if (seq !== mountSeq) return;
    viewEl.dataset.status = 'error';
    root.appendChild(errorBox(new ApiError(0, 'cannot load the ' + name + ' view', 'its script did not load from '
      + location.origin + ' (' + (e && e.message ? e.message : e) + '); is the collector still running?')));
    return;
  }
  if (seq !== mountSeq) return;
  const ctx = makeContext(name, params, seq);
  try {
    current = {name, instance: await mod.mount(root, ctx)};
  } catch (e) {
    if (seq !== mountSeq) return;
    viewEl.dataset.status = 'error';
    root.appendChild(errorBox(e));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('unhandledrejection', e => {
  // A failed request that a view did not catch still shows up, never as a silent blank.
  if (e.reason instanceof ApiError) {
    e.preventDefault();
    clear(banner, errorBox(e.reason));
    banner.dataset.kind = 'error';
    banner.hidden = false;
  }
});
window.mpdiagApp = {route, parseHash};
if (!location.hash) history.replaceState(null, '', '#/overview');
route();
