// Diff: a baseline selection (A) against a comparison (B): process vs process, window vs window or run vs
// run. Frames are coloured by growth (red) or shrinkage (blue) of their share, each side normalized by its own
// total; a table lists the biggest changes. URL: type, a.process, a.service, a.from, a.to, a.run, the same for
// b., search, zoom, brush (which side the timeline's brush sets).

import {api, ApiError, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, procName, fmtPct, fmtTime, fmtNum} from '../util.js';
import {selectionParams, processPicker, rangePicker, typeSelect, selectionLabel} from '../selection.js';
import {timeline} from '../charts.js';
import {FlameGraph, formatValue} from '../../flame.js';

const TYPES = ['cpu', 'alloc', 'lock', 'wall', 'wait', 'native'];
const METRIC = {cpu: 'cpu.samples', wall: 'cpu.samples', native: 'cpu.samples', alloc: 'alloc.rate', lock: 'lock.blocked', wait: 'lock.blocked'};

function runLabel(r) {
  return '#' + r.id + ' ' + r.name + (r.labels && r.labels.mode ? ' (' + r.labels.mode + ')' : '');
}

export async function mount(root, ctx) {
  const p = ctx.params;
  const type = p.get('type') || 'cpu';
  const head = el('div.view-head', el('h1', 'Diff'), el('span.muted',
    'Red frames grew, blue ones shrank: each side is normalized by its own total.'));
  const controls = el('div.controls');
  const sides = el('div.sides');
  const tlCard = el('section.card');
  const result = el('section.card', {dataset: {role: 'diff-result'}});
  const rowsCard = el('section.card', {dataset: {role: 'diff-rows'}, hidden: true});
  root.append(head, controls, sides, tlCard, result, rowsCard);

  let processes, runs = [];
  try {
    [processes, runs] = await Promise.all([ctx.processes(),
      api('runs').then(r => r.runs, () => [])]);
  } catch (e) {
    clear(result, errorBox(e, 'Process list'));
    ctx.status('error');
    return {unmount() {}};
  }
  const hasSide = k => ['process', 'service', 'from', 'to', 'run'].some(f => p.get(k + '.' + f));
  if (!hasSide('a') && !hasSide('b')) {
    // Nothing chosen yet: the two latest runs, or the first two processes, or the two halves of one process.
    const d = {};
    if (runs.length >= 2) { d['a.run'] = runs[runs.length - 2].id; d['b.run'] = runs[runs.length - 1].id; }
    else if (processes.length >= 2) { d['a.process'] = processes[0].id; d['b.process'] = processes[1].id; }
    else if (processes.length === 1 && processes[0].data && processes[0].data.fromMillis) {
      const q = processes[0], mid = Math.round((q.data.fromMillis + q.data.toMillis) / 2);
      Object.assign(d, {'a.process': q.id, 'a.to': mid, 'b.process': q.id, 'b.from': mid});
    }
    ctx.set(d);
  }

  const side = k => {
    const s = selectionParams(p, k + '.');
    s.run = p.get(k + '.run');
    return s;
  };
  const state = {type, a: side('a'), b: side('b'), brush: p.get('brush') === 'a' ? 'a' : 'b'};
  let graph = null, tl = null;

  function resolved(s, k) {
    if (!s.run) return {process: s.process, service: s.service, from: s.from, to: s.to};
    const r = runs.find(x => String(x.id) === String(s.run));
    if (!r) throw new ApiError(404, 'unknown run', 'side ' + k.toUpperCase() + ': no run #' + s.run + ' (the Runs view lists them)');
    return {process: r.processes || [], service: r.service || null, from: String(r.fromMillis), to: String(r.toMillis)};
  }

  function setSide(k, changes) {
    Object.assign(state[k], changes);
    const out = {};
    for (const f of ['process', 'service', 'from', 'to', 'run']) out[k + '.' + f] = state[k][f];
    ctx.set(out, {push: true});
    render();
  }

  function sideCard(k, title) {
    const s = state[k];
    const runSel = el('select', {dataset: {role: k + '-run'}, 'aria-label': 'Run of side ' + k.toUpperCase()},
      el('option', {value: ''}, runs.length ? '\u2014 no run \u2014' : 'no runs recorded'),
      runs.map(r => el('option', {value: String(r.id), selected: String(r.id) === String(s.run)}, runLabel(r))));
    runSel.addEventListener('change', () => setSide(k, {run: runSel.value || null, process: [], service: null, from: null, to: null}));
    let desc = null;
    if (s.run) {
      try {
        const r = resolved(s, k);
        desc = el('div.muted.small', 'Run window ' + fmtTime(+r.from) + ' \u2013 ' + fmtTime(+r.to) + ', '
          + selectionLabel(r, processes));
      } catch (e) {
        desc = errorBox(e);
      }
    }
    return el('section.card.side.side-' + k, {dataset: {role: 'side-' + k}},
      el('h3', title),
      el('div.controls',
        el('label.ctl', 'Run ', runSel),
        s.run ? null : processPicker(processes, s, v => setSide(k, {process: v.process, service: v.service, run: null})),
        s.run ? null : rangePicker(s.from, s.to, (from, to) => setSide(k, {from, to, run: null}))),
      desc);
  }

  function render() {
    clear(controls, typeSelect(state.type, t => { state.type = t; ctx.set({type: t, zoom: null}); loadTimeline(); loadDiff(); }, TYPES));
    clear(sides, sideCard('a', 'Baseline (A)'), sideCard('b', 'Comparison (B)'));
    loadDiff();
  }

  async function loadTimeline() {
    const brushSel = el('select', {dataset: {role: 'brush-side'}},
      el('option', {value: 'a', selected: state.brush === 'a'}, 'A (baseline)'),
      el('option', {value: 'b', selected: state.brush === 'b'}, 'B (comparison)'));
    brushSel.addEventListener('change', () => { state.brush = brushSel.value; ctx.set({brush: state.brush === 'b' ? null : 'a'}); showBand(); });
    const box = el('div.timeline', {dataset: {role: 'timeline'}});
    clear(tlCard, el('div.card-head', el('h3', 'Timeline of all processes'), el('span.muted.small', 'Drag to choose the window of'),
      brushSel), box);
    const metric = METRIC[state.type] || 'cpu.samples';
    let r;
    try {
      r = await api('series', {metric, from: '-30m'});
    } catch (e) {
      clear(box, e.status === 404 ? infoBox('No ' + metric + ' in the last 30 minutes.') : errorBox(e, 'Timeline'));
      return;
    }
    if (!ctx.alive()) return;
    const byId = new Map(processes.map(x => [x.id, x]));
    const series = r.series.filter(s => s.points.length).slice(0, 10)
      .map(s => ({label: byId.get(s.process) ? procName(byId.get(s.process)) : s.process, points: s.points}));
    if (!series.length) { clear(box, infoBox('No ' + metric + ' points in the last 30 minutes.')); return; }
    if (tl) tl.destroy();
    const fmt = metric === 'alloc.rate' ? v => (v == null ? '' : fmtNum(v / 1e6, 1) + ' MB/s')
      : metric === 'lock.blocked' ? v => (v == null ? '' : fmtNum(v / 1e6, 0) + ' ms/s') : null;
    tl = timeline(box, {height: 110, format: fmt, onSelect: (f, t) => {
      const k = state.brush;
      const keep = state[k].run ? resolvedSafe(state[k], k) : state[k];
      setSide(k, {run: null, process: keep.process || [], service: keep.service || null, from: String(f), to: String(t)});
    }});
    tl.setData(series);
    showBand();
  }

  function resolvedSafe(s, k) { try { return resolved(s, k); } catch (e) { return {process: [], service: null}; } }

  function showBand() {
    if (!tl) return;
    const s = resolvedSafe(state[state.brush], state.brush);
    const f = /^\d+$/.test(s.from || '') ? +s.from : null, t = /^\d+$/.test(s.to || '') ? +s.to : null;
    tl.setRange(f, t);
  }

  let seq = 0;
  async function loadDiff() {
    const my = ++seq;
    ctx.status('loading');
    let a, b;
    try {
      a = resolved(state.a, 'a');
      b = resolved(state.b, 'b');
    } catch (e) {
      clear(result, errorBox(e, 'Diff'));
      rowsCard.hidden = true;
      ctx.status('error');
      return;
    }
    const q = {type: state.type};
    for (const [k, s] of [['a', a], ['b', b]]) for (const f of ['process', 'service', 'from', 'to']) q[k + '.' + f] = s[f];
    clear(result, loadingBox('Comparing\u2026'));
    let r;
    try {
      r = await api('diff', q, {timeoutMs: 60000});
    } catch (e) {
      if (my !== seq || !ctx.alive()) return;
      if (graph) { graph.destroy(); graph = null; window.mpdiagFlame = null; }
      clear(result, errorBox(e, 'Diff'));
      rowsCard.hidden = true;
      ctx.status('error');
      return;
    }
    if (my !== seq || !ctx.alive()) return;
    if (graph) { graph.destroy(); graph = null; }
    const graphBox = el('div', {dataset: {role: 'graph'}});
    clear(result,
      el('div.graph-info', {dataset: {role: 'diff-summary'}},
        el('strong', 'A'), ': ' + selectionLabel(a, processes) + ', total ' + formatValue(r.a.total, r.unit) + ' \u00b7 ',
        el('strong', 'B'), ': ' + selectionLabel(b, processes) + ', total ' + formatValue(r.b.total, r.unit)),
      (!r.a.total || !r.b.total) ? infoBox('One side has no ' + state.type + ' samples; every frame of the other side shows as '
        + (r.a.total ? 'shrunk' : 'grown') + '.') : null,
      graphBox);
    graph = new FlameGraph(graphBox, r.tree, {
      search: p.get('search') || '', zoomPath: p.get('zoom') ? p.get('zoom').split(';') : null, tableRows: 50,
      orientation: p.get('orient') === 'flame' ? 'flame' : 'icicle',
      onStateChange: s => ctx.set({search: s.search || null, zoom: s.zoomPath.length ? s.zoomPath.join(';') : null,
        orient: s.orientation === 'flame' ? 'flame' : null}),
    });
    window.mpdiagFlame = graph;
    renderRows(r);
    ctx.status('ready');
  }

  function renderRows(r) {
    rowsCard.hidden = false;
    const sign = v => (v > 0 ? '+' : '') + fmtPct(v);
    const cls = v => (v > 0.0005 ? 'grown' : v < -0.0005 ? 'shrunk' : '');
    const tbody = el('tbody');
    for (const row of r.rows) {
      const ds = row.afterSelf - row.beforeSelf, dt = row.afterTotal - row.beforeTotal;
      tbody.appendChild(el('tr.clickable', {dataset: {name: row.name, deltaTotal: String(dt)},
        onclick: () => graph && graph.search('/^' + row.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + '$/')},
        el('td.name', row.name), el('td', fmtPct(row.beforeSelf)), el('td', fmtPct(row.afterSelf)),
        el('td', {class: cls(ds)}, sign(ds)), el('td', fmtPct(row.beforeTotal)), el('td', fmtPct(row.afterTotal)),
        el('td', {class: cls(dt)}, sign(dt))));
    }
    clear(rowsCard,
      el('div.card-head', el('h3', 'Biggest changes'), el('span.muted.small', 'shares of each side\u2019s own total; click a row to find it in the graph')),
      r.rows.length ? el('div.table-scroll', el('table.grid', {dataset: {role: 'changes'}},
        el('thead', el('tr', el('th.left', 'Function'), el('th', 'A self'), el('th', 'B self'), el('th', '\u0394 self'),
          el('th', 'A total'), el('th', 'B total'), el('th', '\u0394 total'))), tbody))
        : infoBox('No frames in either side.'));
  }

  render();
  loadTimeline();
  return {
    unmount() {
      seq++;
      if (graph) graph.destroy();
      if (tl) tl.destroy();
      window.mpdiagFlame = null;
    },
  };
}
