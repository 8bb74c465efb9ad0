// Small helpers shared by the dashboard's views: DOM building and number, time and name formatting.

/** el('div.cls', {attr: v, onclick: fn, dataset: {...}}, child, 'text', [children]) */
export function el(spec, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:\.[\w-]+)*)$/i.exec(spec) || [];
  const e = document.createElement(m[1] || 'div');
  if (m[2]) e.className = m[2].slice(1).replace(/\./g, ' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'style' && typeof v === 'object') Object.assign(e.style, v);
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'text') e.textContent = v;
    else if (k === 'html') throw new Error('no html');
    else if (k in e && typeof v !== 'string') e[k] = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else parent.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function fmtBytes(v, digits) {
  if (v == null || !isFinite(v)) return '\u2013';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let u = 0, x = Math.abs(v);
  while (x >= 1024 && u < units.length - 1) { x /= 1024; u++; }
  const d = digits != null ? digits : (u === 0 ? 0 : x < 10 ? 2 : x < 100 ? 1 : 0);
  return (v < 0 ? '-' : '') + x.toFixed(d) + ' ' + units[u];
}

export function fmtNum(v, digits) {
  if (v == null || !isFinite(v)) return '\u2013';
  const a = Math.abs(v);
  const d = digits != null ? digits : a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return Number(v).toLocaleString('en-US', {minimumFractionDigits: d, maximumFractionDigits: d});
}

export function fmtPct(share, digits) {
  if (share == null || !isFinite(share)) return '\u2013';
  const p = share * 100;
  return p.toFixed(digits != null ? digits : Math.abs(p) >= 10 ? 1 : 2) + '%';
}

export function fmtNanos(ns) {
  if (ns == null || !isFinite(ns)) return '\u2013';
  const a = Math.abs(ns);
  if (a >= 1e9) return (ns / 1e9).toFixed(a >= 1e11 ? 0 : 2) + ' s';
  if (a >= 1e6) return (ns / 1e6).toFixed(a >= 1e8 ? 0 : 1) + ' ms';
  return (ns / 1e6).toFixed(3) + ' ms';
}

export function fmtDuration(ms) {
  if (ms == null || !isFinite(ms) || ms < 0) return '\u2013';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + ' s';
  const m = Math.floor(s / 60);
  if (m < 60) return m + ' min ' + (s % 60) + ' s';
  const h = Math.floor(m / 60);
  if (h < 48) return h + ' h ' + (m % 60) + ' min';
  return Math.floor(h / 24) + ' d ' + (h % 24) + ' h';
}

function pad(n) { return String(n).padStart(2, '0'); }

/** Local time, HH:MM:SS, with the date when it is not today. */
export function fmtTime(ms) {
  if (ms == null || !isFinite(ms)) return '\u2013';
  const d = new Date(ms), now = new Date();
  const hms = pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  if (d.toDateString() === now.toDateString()) return hms;
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + hms;
}

/** A from/to URL value (epoch ms, ISO, now, -5m) for people. */
export function fmtTimeParam(v) {
  if (v == null || v === '') return '';
  if (/^\d{11,}$/.test(v)) return fmtTime(+v);
  if (/^-\d+[smhd]$/.test(v)) return v.slice(1) + ' ago';
  return v;
}

/** Short name of a process: service, role/index labels and pid. */
export function procName(p) {
  if (!p) return '?';
  const l = p.labels || {};
  const role = l.role ? l.role + (l.index != null ? '-' + l.index : '') : (l.file || '');
  return (role ? role + ' ' : '') + 'pid ' + p.pid;
}

/** Same, from an id "service/host/pid/start" when the process record is not at hand. */
export function idName(id, byId) {
  if (byId && byId.get(id)) return byId.get(id).service + ' \u00b7 ' + procName(byId.get(id));
  const parts = String(id).split('/');
  return parts.length >= 4 ? parts[0] + ' \u00b7 pid ' + parts[2] : String(id);
}

export function debounce(fn, ms) {
  let t = 0;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

/** Groups processes by service, services sorted by name, processes by labels.index then pid. */
export function byService(processes) {
  const m = new Map();
  for (const p of processes) {
    if (!m.has(p.service)) m.set(p.service, []);
    m.get(p.service).push(p);
  }
  const idx = p => (p.labels && p.labels.index != null && !isNaN(+p.labels.index) ? +p.labels.index : 1e9);
  for (const list of m.values()) list.sort((a, b) => idx(a) - idx(b) || a.pid - b.pid || a.startMillis - b.startMillis);
  return new Map([...m.entries()].sort((a, b) => a[0].localeCompare(b[0])));
}
