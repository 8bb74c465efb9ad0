// Checks: one card per check and subject (a process, or a service for the checks across its processes) with
// the verdict, a trend chart of the series the check names, and its evidence (leak candidates with their
// reference chains, growing thread names, descriptor kinds and paths, imbalance across workers, stacks).
// URL: process, service, from, to, check (only that check), all (also show checks that do not apply).

import {api, processesOr, ApiError, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, procName, fmtBytes, fmtNum, fmtPct, fmtNanos} from '../util.js';
import {selectionParams, processPicker, rangePicker} from '../selection.js';
import {lineChart} from '../charts.js';

const ORDER = {FAIL: 0, WARN: 1, OK: 2, NOT_APPLICABLE: 3};
const WINDOW_MS = 5 * 60_000;

function human(key) {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, c => c.toUpperCase()).replace(/\bPer\b/, 'per');
}

/** A number of evidence, formatted by what its key says it is. */
function fmtField(key, v) {
  if (typeof v !== 'number') return String(v);
  const k = key.toLowerCase();
  if (k.endsWith('nanos')) return fmtNanos(v);
  if (k.endsWith('bytespersecond')) return fmtBytes(v) + '/s';
  if (k.endsWith('bytes') || k === 'slopebytespersecond') return fmtBytes(v);
  if (k.includes('share') || k.endsWith('spread') || k === 'profilegap' || k === 'gap') return fmtPct(v);
  if (k.endsWith('percent')) return fmtNum(v, 1) + ' %';
  if (k === 'fit') return fmtNum(v, 2);
  if (k.endsWith('millis')) return fmtNum(v, 1) + ' ms';
  return fmtNum(v);
}

function isFrames(arr) { return arr.every(x => typeof x === 'string'); }

/** Evidence as people read it: numbers in a list, lists of records as tables, stacks and chains as blocks. */
function renderEvidence(ev, byId) {
  const scalars = [], blocks = [];
  for (const [k, v] of Object.entries(ev || {})) {
    if (k === 'series' || v == null) continue;
    if (Array.isArray(v)) {
      if (!v.length) { scalars.push(el('dt', human(k)), el('dd.muted', 'none')); continue; }
      blocks.push(el('h4', human(k) + ' (' + v.length + ')'), renderArray(k, v, byId));
    } else if (typeof v === 'object') {
      blocks.push(el('h4', human(k)), renderObject(v, byId));
    } else {
      const shown = typeof v === 'string' && byId.has(v) ? procName(byId.get(v)) : fmtField(k, v);
      scalars.push(el('dt', human(k)), el('dd', {dataset: {key: k}}, shown));
    }
  }
  return el('div.evidence', {dataset: {role: 'evidence'}}, scalars.length ? el('dl', scalars) : null, blocks);
}

function renderObject(o, byId) {
  return el('dl', Object.entries(o).filter(([, v]) => v != null).map(([k, v]) => [el('dt', human(k)),
    el('dd', typeof v === 'object' ? (Array.isArray(v) ? renderArray(k, v, byId) : renderObject(v, byId))
      : byId.has(v) ? procName(byId.get(v)) : fmtField(k, v))]));
}

function renderArray(key, arr, byId) {
  if (isFrames(arr)) {
    const sep = key === 'chain' ? '\n  \u2190 held by ' : '\n';
    return el('div.stack', {dataset: {role: key}}, arr.join(sep));
  }
  if (arr.every(x => x && typeof x === 'object' && !Array.isArray(x))) {
    const cols = [...new Set(arr.flatMap(x => Object.keys(x).filter(k => x[k] == null || typeof x[k] !== 'object')))]
      .filter(k => !(k === 'process' && arr.every(x => x.name)));
    const rows = [];
    for (const x of arr) {
      rows.push(el('tr', cols.map((c, i) => el(i === 0 ? 'td.name' : 'td', x[c] == null ? '\u2013'
        : typeof x[c] === 'string' && byId.has(x[c]) ? procName(byId.get(x[c])) : fmtField(c, x[c])))));
      const nested = Object.entries(x).filter(([, v]) => v && typeof v === 'object' && (!Array.isArray(v) || v.length));
      if (nested.length) {
        rows.push(el('tr', el('td.left', {colspan: String(cols.length)}, nested.map(([k, v]) =>
          el('details', {open: k === 'chain'}, el('summary.small', human(k) + (Array.isArray(v) ? ' (' + v.length + ')' : '')),
            Array.isArray(v) ? renderArray(k, v, byId) : renderObject(v, byId))))));
      }
    }
    return el('div.table-scroll', el('table.grid', {dataset: {role: key}},
      el('thead', el('tr', cols.map((c, i) => el(i === 0 ? 'th.left' : 'th', human(c))))), el('tbody', rows)));
  }
  return el('div', arr.map(x => JSON.stringify(x)).join(', '));
}

/** Axis and legend values: decimal megabytes, so uPlot's round ticks read as round numbers. */
function unitFormat(unit) {
  const mb = v => fmtNum(v / 1e6, Math.abs(v) < 1e7 ? 1 : 0) + ' MB';
  const f = unit === 'bytes' ? mb : unit === 'bytes/s' ? v => mb(v) + '/s'
    : unit === 'ns/s' ? v => fmtNum(v / 1e6, 0) + ' ms/s' : v => fmtNum(v);
  return v => (v == null ? '' : f(v));
}

export async function mount(root, ctx) {
  const p = ctx.params;
  const sel = selectionParams(p);
  const onlyCheck = p.get('check');
  let showAll = p.get('all') === 'true';
  const controls = el('div.controls');
  const body = el('div', {dataset: {role: 'checks'}});
  root.append(el('div.view-head', el('h1', 'Checks'), el('span.muted',
    'Without a range, each process is judged on the last 5 minutes of its data.')), controls, body);
  const processes = await processesOr(ctx, body);
  if (!processes) {
    return {unmount() {}};
  }
  const byId = new Map(processes.map(x => [x.id, x]));
  const charts = [];

  function renderControls() {
    const all = el('input', {type: 'checkbox', checked: showAll, dataset: {role: 'show-all'}});
    all.addEventListener('change', () => { showAll = all.checked; ctx.set({all: showAll ? 'true' : null}); load(); });
    clear(controls,
      processPicker(processes, sel, s => { sel.process = s.process; sel.service = s.service; ctx.set(s); load(); }),
      rangePicker(sel.from, sel.to, (from, to) => { sel.from = from; sel.to = to; ctx.set({from, to}); renderControls(); load(); }),
      el('label.ctl', all, ' show checks that do not apply'),
      onlyCheck ? el('span', 'Only ', el('code', onlyCheck), ' ', el('a', {href: '#', onclick: e => {
        e.preventDefault(); ctx.go(ctx.href('checks', {process: sel.process, service: sel.service, from: sel.from, to: sel.to}));
      }}, '(show all checks)')) : null);
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    ctx.status('loading');
    for (const c of charts.splice(0)) c.destroy();
    clear(body, loadingBox('Running the checks\u2026'));
    let r;
    try {
      r = await api('checks', {process: sel.process, service: sel.service, from: sel.from, to: sel.to}, {timeoutMs: 60000});
    } catch (e) {
      if (my !== seq) return;
      clear(body, errorBox(e, 'Checks'));
      ctx.status('error');
      return;
    }
    if (my !== seq || !ctx.alive()) return;
    let results = r.results.filter(c => !onlyCheck || c.check === onlyCheck);
    const hidden = showAll ? 0 : results.filter(c => c.verdict === 'NOT_APPLICABLE').length;
    if (!showAll) results = results.filter(c => c.verdict !== 'NOT_APPLICABLE');
    results.sort((a, b) => (ORDER[a.verdict] - ORDER[b.verdict]) || b.score - a.score || a.check.localeCompare(b.check));
    const counts = {};
    for (const c of r.results) counts[c.verdict] = (counts[c.verdict] || 0) + 1;
    const cards = results.map(c => card(c));
    clear(body,
      el('p.muted', {dataset: {role: 'checks-summary'}}, r.results.length + ' results over ' + r.processes.length + ' processes ('
        + r.window + '): ' + Object.entries(counts).map(([k, v]) => v + ' ' + k.toLowerCase().replace('_', ' ')).join(', ')
        + (hidden ? '; ' + hidden + ' that do not apply are hidden' : '')),
      cards.length ? el('div.cards', cards.map(x => x.node)) : infoBox(onlyCheck ? 'No result of check ' + onlyCheck + ' here.' : 'No results.'));
    ctx.status('ready');
    await drawTrends(cards, my);
  }

  function subjectName(subject) {
    return byId.has(subject) ? byId.get(subject).service + ' \u00b7 ' + procName(byId.get(subject)) : 'service ' + subject;
  }

  function card(c) {
    const chart = el('div.chart-box', {dataset: {role: 'trend'}});
    const node = el('section.card.check-card', {dataset: {check: c.check, subject: c.subject, verdict: c.verdict, role: 'check-card'}},
      el('div.card-head',
        el('span', {class: 'badge badge-' + c.verdict.toLowerCase().replace('_', '-')}, c.verdict.replace('_', ' ')),
        el('h3', c.title),
        el('span.spacer'),
        el('span.muted.small', 'score ' + fmtNum(c.score, 0))),
      el('div.small', el('a', {href: byId.has(c.subject) ? ctx.href('flame', {process: c.subject})
        : ctx.href('flame', {service: c.subject})}, subjectName(c.subject)), ' \u00b7 ', el('code', c.check)),
      el('div.check-summary', c.summary),
      (c.evidence && c.evidence.series && c.evidence.series.length) ? chart : null,
      renderEvidence(c.evidence, byId));
    return {node, chart, result: c};
  }

  /** One series request per process for every metric its cards chart, then one chart per card. */
  async function drawTrends(cards, my) {
    const wanted = new Map(); // process id -> Set(metrics)
    const procsOf = c => (byId.has(c.subject) ? [c.subject] : processes.filter(x => x.service === c.subject).map(x => x.id));
    for (const {result} of cards) {
      const metrics = (result.evidence && result.evidence.series) || [];
      if (!metrics.length) continue;
      for (const id of procsOf(result)) {
        if (!wanted.has(id)) wanted.set(id, new Set());
        for (const m of byId.has(result.subject) ? metrics : metrics.slice(0, 1)) wanted.get(id).add(m);
      }
    }
    const got = new Map(); // id -> Map(metric -> series)
    await Promise.all([...wanted].map(async ([id, metrics]) => {
      const proc = byId.get(id);
      const q = {process: id, metric: [...metrics].slice(0, 32)};
      if (sel.from || sel.to) { q.from = sel.from; q.to = sel.to; }
      else if (proc && proc.data && proc.data.toMillis) { q.from = proc.data.toMillis - WINDOW_MS; q.to = proc.data.toMillis; }
      try {
        const r = await api('series', q);
        got.set(id, new Map(r.series.map(s => [s.metric, s])));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) console.warn('series of ' + id + ': ' + e.message);
        got.set(id, new Map());
      }
    }));
    if (my !== seq || !ctx.alive()) return;
    for (const {result, chart} of cards) {
      const metrics = (result.evidence && result.evidence.series) || [];
      if (!metrics.length) continue;
      let lines = [];
      if (byId.has(result.subject)) {
        const mine = got.get(result.subject) || new Map();
        const found = metrics.map(m => mine.get(m)).filter(s => s && s.points.length);
        const unit = found.length ? found[0].unit : null;
        lines = found.filter(s => s.unit === unit).map(s => ({label: s.metric, points: s.points, unit: s.unit}));
      } else {
        for (const id of procsOf(result)) {
          const s = (got.get(id) || new Map()).get(metrics[0]);
          if (s && s.points.length) lines.push({label: procName(byId.get(id)) + ' ' + s.metric, points: s.points, unit: s.unit});
        }
      }
      if (!lines.length) { clear(chart, el('div.muted.small', 'No points of ' + metrics.join(', ') + ' in this window.')); continue; }
      charts.push(lineChart(chart, lines, {height: 140, format: unitFormat(lines[0].unit)}));
    }
  }

  renderControls();
  await load();
  return {unmount() { seq++; for (const c of charts.splice(0)) c.destroy(); }};
}
