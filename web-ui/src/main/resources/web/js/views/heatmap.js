// Heatmap view: the sub-second heatmap of a selection (merged, and one row per process), after FlameScope. Drag a
// span on it and the flame graph of exactly that span (to 20 ms) opens below. URL: type, process, service, from, to
// (the heatmap's range), rowMillis, split (off: merged only), span (FROM-TO epoch ms) and spanProcess.

import {api, processesOr, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, procName} from '../util.js';
import {selectionParams, processPicker, rangePicker, typeSelect} from '../selection.js';
import {Heatmap, clockMillis} from '../../heatmap.js';
import {FlameGraph, formatValue} from '../../flame.js';

const TYPES = ['cpu', 'wall', 'alloc', 'lock'];
const ROWS = [['20', '50 rows of 20 ms'], ['40', '25 rows of 40 ms'], ['100', '10 rows of 100 ms']];

function parseSpan(v) {
  const m = /^(\d+)-(\d+)$/.exec(v || '');
  return m && +m[2] > +m[1] ? {from: +m[1], to: +m[2]} : null;
}

export async function mount(root, ctx) {
  const p = ctx.params;
  const state = {
    type: TYPES.includes(p.get('type')) ? p.get('type') : 'cpu',
    sel: selectionParams(p),
    rowMillis: ROWS.some(r => r[0] === p.get('rowMillis')) ? p.get('rowMillis') : '20',
    split: p.get('split') !== 'false',
    span: parseSpan(p.get('span')),
    spanProcess: p.get('spanProcess') || null,
  };
  const controls = el('div.controls');
  const info = el('div.graph-info', {dataset: {role: 'heatmap-info'}});
  const mapBox = el('div', {dataset: {role: 'heatmap'}});
  const spanHead = el('div.graph-info', {dataset: {role: 'span-info'}});
  const flameBox = el('div.graph', {dataset: {role: 'span-graph'}});
  root.append(el('div.view-head', el('h1', 'Heatmap')), controls,
    el('section.card', el('div.card-head', el('h3', 'Sub-second heatmap'), el('span.muted.small',
      'A column per second, a row per slice of it; drag from one cell to another for the flame graph of that span')),
    info, mapBox),
    el('section.card', spanHead, flameBox));

  const processes = await processesOr(ctx, mapBox);
  if (!processes) return {unmount() {}};
  const byId = new Map(processes.map(x => [x.id, x]));
  let heatmap = null, graph = null, seq = 0, flameSeq = 0;

  function renderControls() {
    clear(controls,
      typeSelect(state.type, t => { state.type = t; ctx.set({type: t}); load(); }, TYPES),
      processPicker(processes, state.sel, s => {
        state.sel.process = s.process; state.sel.service = s.service;
        ctx.set({process: s.process, service: s.service});
        load();
      }),
      rangePicker(state.sel.from, state.sel.to, (from, to) => {
        state.sel.from = from; state.sel.to = to;
        ctx.set({from, to});
        load();
      }),
      el('label.ctl', 'Rows ', (() => {
        const s = el('select', {dataset: {role: 'rows'}, 'aria-label': 'Row size'},
          ROWS.map(([v, l]) => el('option', {value: v, selected: v === state.rowMillis}, l)));
        s.addEventListener('change', () => { state.rowMillis = s.value; ctx.set({rowMillis: s.value === '20' ? null : s.value}); load(); });
        return s;
      })()),
      el('label.ctl', (() => {
        const c = el('input', {type: 'checkbox', checked: state.split, dataset: {role: 'split'}});
        c.addEventListener('change', () => { state.split = c.checked; ctx.set({split: c.checked ? null : 'false'}); load(); });
        return c;
      })(), ' one row per process'));
  }

  function selParams() {
    return {type: state.type, process: state.sel.process, service: state.sel.service, from: state.sel.from, to: state.sel.to};
  }

  async function load() {
    const mine = ++seq;
    renderControls();
    ctx.status('loading');
    clear(info, loadingBox('Loading the ' + state.type + ' heatmap\u2026'));
    let r;
    try {
      r = await api('heatmap', Object.assign(selParams(), {rowMillis: state.rowMillis, split: state.split ? 'true' : null}));
    } catch (e) {
      if (mine !== seq || !ctx.alive()) return;
      clear(info, errorBox(e, 'Heatmap'));
      ctx.status('error');
      return;
    }
    if (mine !== seq || !ctx.alive()) return;
    for (const pp of r.perProcess || []) if (byId.get(pp.id)) pp.label = procName(byId.get(pp.id));
    clear(info, r.columns
      ? el('span', {dataset: {role: 'heatmap-summary'}}, el('strong', state.type), ' \u00b7 ', r.processes.length + ' processes \u00b7 ',
        clockMillis(r.from).slice(0, 8) + ' \u2013 ' + clockMillis(r.from + r.columns * 1000).slice(0, 8) + ' (' + r.columns + ' s) \u00b7 total ',
        el('strong', formatValue(r.total, r.unit)),
        r.truncated ? el('span.muted.small', ' \u00b7 the range holds more than an hour; showing its last hour') : null)
      : infoBox('No ' + state.type + ' samples with times in this selection.'));
    if (heatmap) heatmap.destroy();
    heatmap = new Heatmap(mapBox, r, {
      selection: state.span ? {from: state.span.from, to: state.span.to, process: state.spanProcess} : null,
      onSelect: (from, to, processId) => {
        state.span = {from, to};
        state.spanProcess = processId;
        ctx.set({span: from + '-' + to, spanProcess: processId}, {push: true});
        loadSpan();
      },
    });
    window.mpdiagHeatmap = heatmap;
    root.dataset.loads = String((+root.dataset.loads || 0) + 1);
    ctx.status('ready');
    loadSpan();
  }

  async function loadSpan() {
    const mine = ++flameSeq;
    if (!state.span) {
      clear(spanHead, el('h3', 'Flame graph of a span'), el('p.muted.small', 'Drag across the heatmap to choose a span.'));
      if (graph) { graph.destroy(); graph = null; }
      clear(flameBox);
      return;
    }
    const {from, to} = state.span;
    const q = {type: state.type, from, to, exact: 'true'};
    if (state.spanProcess) q.process = [state.spanProcess];
    else { q.process = state.sel.process; q.service = state.sel.service; }
    clear(spanHead, loadingBox('Loading the flame graph of the span\u2026'));
    let r;
    try {
      r = await api('flamegraph', q);
    } catch (e) {
      if (mine !== flameSeq || !ctx.alive()) return;
      clear(spanHead, errorBox(e, 'Flame graph of the span'));
      return;
    }
    if (mine !== flameSeq || !ctx.alive()) return;
    const who = state.spanProcess ? (byId.get(state.spanProcess) ? procName(byId.get(state.spanProcess)) : state.spanProcess)
      : (r.processes.length === 1 && byId.get(r.processes[0]) ? procName(byId.get(r.processes[0])) : r.processes.length + ' processes merged');
    const open = ctx.href('flame', {type: state.type, process: q.process, service: q.service || null, from, to, exact: 'true'});
    clear(spanHead,
      el('h3', {dataset: {role: 'span-title'}}, 'Flame graph of ', clockMillis(from), ' \u2013 ', clockMillis(to)),
      el('span', {dataset: {role: 'span-summary'}}, ((to - from) / 1000).toFixed(2) + ' s \u00b7 ' + who + ' \u00b7 total ',
        el('strong', {dataset: {role: 'span-total'}}, formatValue(r.total, r.unit)),
        r.exact ? '' : ' \u00b7 (whole chunks: these summaries carry no sample times)'),
      ' ', el('a.btn', {href: open, dataset: {role: 'open-flame'}}, 'Open in the flame graph view'));
    if (graph) graph.setData(r.tree, {});
    else graph = new FlameGraph(flameBox, r.tree, {orientation: 'icicle', colour: 'package'});
    window.mpdiagFlame = graph;
    root.dataset.spanLoads = String((+root.dataset.spanLoads || 0) + 1);
  }

  await load();
  return {
    unmount() {
      seq++; flameSeq++;
      if (heatmap) heatmap.destroy();
      if (graph) graph.destroy();
      window.mpdiagHeatmap = null;
      window.mpdiagFlame = null;
    },
  };
}
