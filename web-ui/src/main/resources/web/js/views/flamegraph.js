// Flame graph view: profile type, processes (all merged, one, or a set), a time range brushed on the timeline,
// the canvas graph (zoom, breadcrumb, search, tooltips, flame/icicle, top functions) and a sandwich of one
// function. URL: type, process, service, from, to, exact (true: the range to 20 ms, not whole chunks), minShare, search, zoom (names joined by ';'), orient, colour (kind; package is the default), fn.

import {api, processesOr, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, procName, fmtTime, fmtPct, fmtNum} from '../util.js';
import {selectionParams, processPicker, rangePicker, typeSelect, selectedIds} from '../selection.js';
import {timeline} from '../charts.js';
import {sandwich} from '../sandwich.js';
import {FlameGraph, formatValue} from '../../flame.js';

const TYPES = ['cpu', 'alloc', 'lock', 'wall', 'wait', 'native'];
/** The timeline's series for each profile type. */
const TIMELINE = {cpu: 'cpu.samples', wall: 'cpu.samples', native: 'cpu.samples', alloc: 'alloc.rate', lock: 'lock.blocked',
  wait: 'lock.blocked'};
const TIMELINE_LABEL = {'cpu.samples': 'CPU samples/s', 'alloc.rate': 'allocated bytes/s', 'lock.blocked': 'ns blocked/s'};
const MIN_SHARES = [['0.0005', 'fold < 0.05%'], ['0.0001', 'fold < 0.01%'], ['0.002', 'fold < 0.2%'], ['0.01', 'fold < 1%'],
  ['0', 'keep every frame']];
const TIMELINE_SPAN_MS = 30 * 60_000;

export async function mount(root, ctx) {
  const p = ctx.params;
  const state = {
    type: p.get('type') || 'cpu',
    sel: selectionParams(p),
    minShare: p.get('minShare') || '0.0005',
    exact: p.get('exact') === 'true',
  };
  const controls = el('div.controls');
  const timelineBox = el('div.timeline', {dataset: {role: 'timeline'}});
  const timelineNote = el('div.muted.small');
  const info = el('div.graph-info', {dataset: {role: 'graph-info'}});
  const graphBox = el('div.graph', {dataset: {role: 'graph'}});
  const sandwichBox = el('section.card.sandwich', {dataset: {role: 'sandwich'}, hidden: true});
  root.append(el('div.view-head', el('h1', 'Flame graph')), controls,
    el('section.card', el('div.card-head', el('h3', 'Timeline'), el('span.muted.small',
      'Drag across the chart to choose a time range')), timelineBox, timelineNote),
    el('section.card', info, graphBox), sandwichBox);

  const processes = await processesOr(ctx, graphBox);
  if (!processes) {
    return {unmount() {}};
  }
  let graph = null, tl = null, treeData = null, loadSeq = 0, sw = {callers: null, callees: null};

  function renderControls() {
    clear(controls,
      typeSelect(state.type, t => { state.type = t; ctx.set({type: t, zoom: null}); loadAll(); }, TYPES),
      processPicker(processes, state.sel, s => {
        state.sel.process = s.process; state.sel.service = s.service;
        ctx.set({process: s.process, service: s.service, zoom: null});
        loadAll();
      }),
      rangePicker(state.sel.from, state.sel.to, (from, to) => {
        state.sel.from = from; state.sel.to = to;
        ctx.set({from, to});
        renderControls();
        if (tl) tl.setRange(null, null);
        loadGraph();
      }),
      el('label.ctl', 'Detail ', (() => {
        const s = el('select', {dataset: {role: 'min-share'}, 'aria-label': 'Fold narrow frames'},
          MIN_SHARES.map(([v, l]) => el('option', {value: v, selected: v === state.minShare}, l)));
        if (!MIN_SHARES.some(m => m[0] === state.minShare)) s.appendChild(el('option', {value: state.minShare, selected: true}, 'fold < ' + state.minShare));
        s.addEventListener('change', () => { state.minShare = s.value; ctx.set({minShare: s.value === '0.0005' ? null : s.value}); loadGraph(); });
        return s;
      })()),
      el('span.spacer'),
      exportLinks());
  }

  function apiSel() {
    return {type: state.type, process: state.sel.process, service: state.sel.service, from: state.sel.from, to: state.sel.to,
      exact: state.exact ? 'true' : null};
  }

  function exportLinks() {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(apiSel())) if (v != null && v !== '' && !(Array.isArray(v) && !v.length)) q.set(k, [].concat(v).join(','));
    const links = el('span.exports', 'Export: ',
      el('a', {href: '/api/v1/export/collapsed?' + q, download: 'mpdiag-' + state.type + '.collapsed'}, 'collapsed'), ' \u00b7 ',
      el('a', {href: '/api/v1/export/speedscope?' + q}, 'speedscope'));
    if (state.sel.process.length === 1 && !state.sel.service) {
      const j = new URLSearchParams({process: state.sel.process[0]});
      if (state.sel.from) j.set('from', state.sel.from);
      if (state.sel.to) j.set('to', state.sel.to);
      links.append(' \u00b7 ', el('a', {href: '/api/v1/export/jfr?' + j}, '.jfr'));
    }
    return links;
  }

  async function loadTimeline() {
    const metric = TIMELINE[state.type] || 'cpu.samples';
    const ids = selectedIds(state.sel, processes);
    const chosen = processes.filter(x => ids.includes(x.id));
    const end = Math.max(0, ...chosen.map(x => (x.data && x.data.toMillis) || x.lastSeenMillis || 0));
    let from = end - TIMELINE_SPAN_MS;
    const selFrom = /^\d+$/.test(state.sel.from || '') ? +state.sel.from : null;
    if (selFrom != null && selFrom < from) from = selFrom - 60_000;
    clear(timelineNote);
    if (!chosen.length) { clear(timelineBox, infoBox('No processes selected.')); return; }
    clear(timelineBox, loadingBox('Loading the timeline\u2026'));
    let r;
    try {
      r = await api('series', {metric, process: state.sel.process, service: state.sel.service, from: Math.max(0, from)});
    } catch (e) {
      if (!ctx.alive()) return;
      clear(timelineBox, e.status === 404 ? infoBox('No ' + metric + ' series in this selection (' + e.detail + ')')
        : errorBox(e, 'Timeline'));
      return;
    }
    if (!ctx.alive()) return;
    const byId = new Map(processes.map(x => [x.id, x]));
    let series = r.series.filter(s => s.points.length);
    if (series.length > 10) {
      // Many processes: one line, their sum per second.
      const sum = new Map();
      for (const s of series) for (const [t, v] of s.points) {
        const k = Math.round(t / 1000) * 1000;
        sum.set(k, (sum.get(k) || 0) + v);
      }
      series = [{label: 'all ' + series.length + ' processes', points: [...sum.entries()].sort((a, b) => a[0] - b[0])}];
    } else {
      series = series.map(s => ({label: byId.get(s.process) ? procName(byId.get(s.process)) : s.process, points: s.points}));
    }
    clear(timelineBox);
    if (!series.length) { timelineBox.appendChild(infoBox('No ' + metric + ' points in the last 30 minutes of this selection.')); return; }
    if (tl) tl.destroy();
    const fmt = metric === 'alloc.rate' ? v => (v == null ? '' : fmtNum(v / 1e6, 1) + ' MB/s')
      : metric === 'lock.blocked' ? v => (v == null ? '' : fmtNum(v / 1e6, 0) + ' ms/s') : null;
    tl = timeline(timelineBox, {
      height: 120, format: fmt,
      onSelect: (f, t) => {
        state.sel.from = String(f); state.sel.to = String(t);
        ctx.set({from: state.sel.from, to: state.sel.to}, {push: true});
        renderControls();
        loadGraph();
      },
    });
    tl.setData(series);
    timelineNote.textContent = (TIMELINE_LABEL[metric] || metric) + ' per process; the graph below covers '
      + rangeText() + '.';
    showRange();
  }

  function rangeText() {
    const f = state.sel.from, t = state.sel.to;
    if (!f && !t) return 'all stored data';
    const show = v => (/^\d+$/.test(v) ? fmtTime(+v) : v);
    return (f ? show(f) : 'the start') + ' \u2013 ' + (t ? show(t) : 'now');
  }

  function showRange() {
    if (!tl) return;
    const f = /^\d+$/.test(state.sel.from || '') ? +state.sel.from : null;
    const t = /^\d+$/.test(state.sel.to || '') ? +state.sel.to : null;
    if (f != null || t != null) tl.setRange(f, t); else tl.setRange(null, null);
  }

  async function loadGraph() {
    const seq = ++loadSeq;
    ctx.status('loading');
    clear(info, loadingBox('Loading the ' + state.type + ' profile\u2026'));
    let r;
    try {
      r = await api('flamegraph', Object.assign(apiSel(), {minShare: state.minShare}));
    } catch (e) {
      if (seq !== loadSeq || !ctx.alive()) return;
      clear(info, errorBox(e, 'Flame graph'));
      if (graph) { graph.destroy(); graph = null; window.mpdiagFlame = null; }
      clear(graphBox);
      ctx.status('error');
      return;
    }
    if (seq !== loadSeq || !ctx.alive()) return;
    treeData = r.tree;
    const byId = new Map(processes.map(x => [x.id, x]));
    const names = (r.processes || []).map(id => byId.get(id) ? procName(byId.get(id)) : id);
    const share = +r.minShare;
    clear(info,
      el('span', {dataset: {role: 'selection'}}, el('strong', state.type), ' \u00b7 ',
        names.length === 1 ? names[0] : names.length + ' processes merged', ' \u00b7 ', rangeText(), ' \u00b7 total ',
        el('strong', {dataset: {role: 'total'}}, formatValue(r.total, r.unit))),
      share > 0 ? el('span.muted.small', ' \u00b7 frames under ' + fmtPct(share) + ' of the total are folded into a hatched '
        + '\u201cother\u201d frame per parent') : null);
    const view = {
      search: p.get('search') || '',
      zoomPath: p.get('zoom') ? p.get('zoom').split(';') : null,
    };
    if (!graph) {
      graph = new FlameGraph(graphBox, treeData, Object.assign({
        orientation: p.get('orient') === 'flame' ? 'flame' : 'icicle',
        colour: p.get('colour') === 'kind' ? 'kind' : 'package',
        onStateChange: s => ctx.set({
          search: s.search || null, zoom: s.zoomPath.length ? s.zoomPath.join(';') : null,
          orient: s.orientation === 'flame' ? 'flame' : null,
          colour: s.colour === 'kind' ? 'kind' : null,
        }),
      }, view));
    } else {
      graph.setData(treeData, view);
    }
    window.mpdiagFlame = graph;
    root.dataset.loads = String((+root.dataset.loads || 0) + 1);
    ctx.status('ready');
    renderSandwich(p.get('fn'));
  }

  // A click on a row of the top-functions table also opens that function's sandwich.
  graphBox.addEventListener('click', e => {
    const tr = e.target.closest('.fg-table tbody tr');
    if (!tr) return;
    const fn = tr.querySelector('.fg-fn');
    if (fn) { ctx.set({fn: fn.textContent}); renderSandwich(fn.textContent); }
  });

  function renderSandwich(fnName) {
    for (const g of [sw.callers, sw.callees]) if (g) g.destroy();
    sw = {callers: null, callees: null};
    if (!fnName || !treeData) { sandwichBox.hidden = true; clear(sandwichBox); return; }
    sandwichBox.hidden = false;
    const s = sandwich(treeData, fnName);
    const close = el('button.btn', {type: 'button', onclick: () => { ctx.set({fn: null}); renderSandwich(null); }}, 'Close');
    if (!s) {
      clear(sandwichBox, el('div.card-head', el('h3', 'Sandwich'), el('span.spacer'), close),
        infoBox('\u201c' + fnName + '\u201d is not in this profile.'));
      return;
    }
    const unit = treeData.unit, total = treeData.total || 1;
    const callersBox = el('div.sandwich-part', {dataset: {role: 'callers'}});
    const calleesBox = el('div.sandwich-part', {dataset: {role: 'callees'}});
    clear(sandwichBox,
      el('div.card-head', el('h3', 'Sandwich: ', el('code', {dataset: {role: 'sandwich-fn'}}, fnName)), el('span.spacer'), close),
      el('p.muted.small', 'Total ' + fmtPct(s.total / total) + ' (' + formatValue(s.total, unit) + '), self '
        + fmtPct(s.self / total) + ' (' + formatValue(s.self, unit) + '), ' + s.calls + ' call paths. '
        + 'Callers above the function (nearest first, from the bottom up), callees below it.'),
      el('h4', 'Callers'), callersBox, el('h4', 'Callees'), calleesBox);
    sw.callers = new FlameGraph(callersBox, s.callers, {orientation: 'flame', showTable: false});
    sw.callees = new FlameGraph(calleesBox, s.callees, {orientation: 'icicle', showTable: false});
    window.mpdiagSandwich = sw;
  }

  function loadAll() {
    renderControls();
    loadTimeline();
    return loadGraph();
  }

  // A type the collector does not know is left to its 400 answer, shown like every other bad input.
  await loadAll();
  return {
    unmount() {
      loadSeq++;
      if (graph) graph.destroy();
      if (tl) tl.destroy();
      for (const g of [sw.callers, sw.callees]) if (g) g.destroy();
      window.mpdiagFlame = null;
    },
  };
}
