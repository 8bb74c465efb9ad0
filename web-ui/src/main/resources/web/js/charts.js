// Charts of the dashboard, drawn by uPlot (served from its WebJar): sparklines, the brushable timeline that
// chooses a time range, and trend charts. Series come from /api/v1/series as [epochMillis, value] points.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

export const PALETTE = ['#2f6fdb', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#0b7285', '#e67700', '#5c940d',
  '#364fc7', '#a61e4d'];

/**
 * Aligns series (arrays of [ms, value]) on one x axis in seconds, bucketed to stepMs; missing points are null.
 * Returns [xs, ys1, ys2, ...] as uPlot wants it.
 */
export function align(pointLists, stepMs = 1000) {
  const maps = pointLists.map(points => {
    const m = new Map();
    for (const [t, v] of points || []) m.set(Math.round(t / stepMs) * stepMs, v);
    return m;
  });
  const xsSet = new Set();
  for (const m of maps) for (const t of m.keys()) xsSet.add(t);
  const xs = [...xsSet].sort((a, b) => a - b);
  return [xs.map(t => t / 1000), ...maps.map(m => xs.map(t => (m.has(t) ? m.get(t) : null)))];
}

function pad2(n) { return String(n).padStart(2, '0'); }

/** Time ticks as HH:MM:SS (HH:MM when the ticks are a minute apart or more). */
function timeTicks(self, ticks, axisIdx, foundSpace, foundIncr) {
  return ticks.map(t => (foundIncr >= 60 ? clock(t).slice(0, 5) : clock(t)));
}

function clock(t) {
  const d = new Date(t * 1000);
  return pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
}

/**
 * A y axis as wide as its longest tick label (measured in the axis font), so "12,000 ms/s" is never cut to
 * ",000 ms/s". uPlot calls this once per layout cycle; after the first cycles the size stays put.
 */
function axisSize(self, values, axisIdx, cycleNum) {
  const axis = self.axes[axisIdx];
  if (cycleNum > 1) return axis._size;
  let size = axis.ticks.size + axis.gap;
  const longest = (values || []).reduce((a, v) => (v != null && String(v).length > a.length ? String(v) : a), '');
  if (longest) {
    self.ctx.font = axis.font[0];
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  size = Math.ceil(size) + 4;
  // Kept on the chart's element, so a browser test can check the longest label against the axis it sits in.
  self.root.dataset.yLabel = longest;
  self.root.dataset.yAxis = String(size);
  return size;
}

/** Legend text of the x value: the hovered time, else the time of the latest point. */
function timeLegend(self, v, si, idx) {
  const xs = self.data[0];
  const t = idx == null ? xs[xs.length - 1] : v;
  return t == null ? '' : clock(t) + (idx == null ? ' (latest)' : '');
}

/** Legend text of a series: the hovered point's value, else its latest value, never an empty "--". */
function latestValue(fmt) {
  return (self, v, si, idx) => {
    if (idx != null) return v == null ? '' : fmt(v);
    const ys = self.data[si] || [];
    for (let i = ys.length - 1; i >= 0; i--) if (ys[i] != null) return fmt(ys[i]);
    return '';
  };
}

function widthOf(container, fallback) {
  return Math.max(80, Math.floor(container.clientWidth || fallback || 600));
}

/** Keeps a chart as wide as its container. */
function follow(container, u, height) {
  if (typeof ResizeObserver !== 'function') return null;
  let last = container.clientWidth;
  const ro = new ResizeObserver(() => {
    const w = container.clientWidth;
    if (w > 0 && w !== last) { last = w; u.setSize({width: widthOf(container), height}); }
  });
  ro.observe(container);
  return ro;
}

/** A tiny line chart without axes, for a table cell. */
export function sparkline(container, {width = 120, height = 28, color = PALETTE[0], fill = 'rgba(47,111,219,0.12)'} = {}) {
  const opts = {
    width, height, pxAlign: false,
    cursor: {show: false}, legend: {show: false}, select: {show: false},
    scales: {x: {time: false}, y: {range: (u, min, max) => [Math.min(0, min), max > 0 ? max * 1.1 : 1]}},
    axes: [{show: false}, {show: false}],
    series: [{}, {stroke: color, width: 1.25, fill, spanGaps: true, points: {show: false}}],
  };
  const u = new uPlot(opts, [[], []], container);
  return {
    setData(points) {
      const [xs, ys] = align([points], 1000);
      u.setData([xs, ys]);
    },
    destroy() { u.destroy(); },
  };
}

/**
 * The timeline of a selection: one line per series, drag across it to choose a time range.
 * options: {height, onSelect(fromMs, toMs), format(value)}.
 */
export function timeline(container, options = {}) {
  const height = options.height || 130;
  let u = null, ro = null, pending = null;
  const fmt = options.format || (v => (v == null ? '' : Math.round(v).toLocaleString('en-US')));
  // uPlot asks for tick labels with every tick value; the legend passes null where a series has no point.
  function build(labels, data) {
    if (u) { u.destroy(); if (ro) ro.disconnect(); }
    const series = [{value: timeLegend}].concat(labels.map((label, i) => ({
      label, stroke: PALETTE[i % PALETTE.length], width: 1.25, spanGaps: false, points: {show: false},
      value: latestValue(fmt),
    })));
    u = new uPlot({
      width: widthOf(container), height,
      cursor: {drag: {x: true, y: false, setScale: false}, points: {show: false}},
      select: {show: true},
      legend: {show: labels.length > 0, live: true},
      scales: {x: {time: true}, y: {range: (self, min, max) => [0, max > 0 ? max * 1.08 : 1]}},
      axes: [{grid: {stroke: '#eceff3'}, values: timeTicks}, {size: axisSize, grid: {stroke: '#eceff3'}, values: (self, ticks) => ticks.map(fmt)}],
      series,
      hooks: {
        setSelect: [self => {
          if (self.select.width < 3 || !options.onSelect) return;
          const from = self.posToVal(self.select.left, 'x') * 1000;
          const to = self.posToVal(self.select.left + self.select.width, 'x') * 1000;
          options.onSelect(Math.floor(from), Math.ceil(to));
        }],
      },
    }, data, container);
    ro = follow(container, u, height);
    if (pending) { const p = pending; pending = null; api.setRange(p[0], p[1]); }
  }
  const api = {
    /** seriesList: [{label, points}] */
    setData(seriesList) {
      const labels = seriesList.map(s => s.label);
      const data = align(seriesList.map(s => s.points), options.stepMs || 1000);
      build(labels, data);
    },
    /** Shows [fromMs, toMs] as the selected band (without calling onSelect); null clears it. */
    setRange(fromMs, toMs) {
      if (!u) { pending = [fromMs, toMs]; return; }
      if (fromMs == null && toMs == null) { u.setSelect({left: 0, top: 0, width: 0, height: 0}, false); return; }
      const xs = u.data[0];
      if (!xs.length) return;
      const lo = fromMs != null ? fromMs / 1000 : xs[0];
      const hi = toMs != null ? toMs / 1000 : xs[xs.length - 1];
      const left = Math.max(0, u.valToPos(lo, 'x'));
      const right = Math.min(u.bbox.width / devicePixelRatio, u.valToPos(hi, 'x'));
      if (!(right > left)) return;
      u.setSelect({left, top: 0, width: right - left, height: u.bbox.height / devicePixelRatio}, false);
    },
    get plot() { return u; },
    destroy() { if (u) u.destroy(); if (ro) ro.disconnect(); u = null; },
  };
  return api;
}

/** A trend chart (checks): one line per series, with axes and a legend. */
export function lineChart(container, seriesList, {height = 150, format} = {}) {
  const fmt = format || (v => (v == null ? '' : Number(v).toLocaleString('en-US', {maximumFractionDigits: 1})));
  const data = align(seriesList.map(s => s.points), 1000);
  const u = new uPlot({
    width: widthOf(container, 360), height,
    cursor: {drag: {x: false, y: false}, points: {size: 5}},
    legend: {show: true, live: true},
    scales: {x: {time: true}},
    axes: [{grid: {stroke: '#eceff3'}, size: 30, values: timeTicks}, {size: axisSize, grid: {stroke: '#eceff3'}, values: (self, ticks) => ticks.map(fmt)}],
    series: [{value: timeLegend}].concat(seriesList.map((s, i) => ({
      label: s.label, stroke: PALETTE[i % PALETTE.length], width: 1.25, spanGaps: true, points: {show: false},
      value: latestValue(fmt),
    }))),
  }, data, container);
  const ro = follow(container, u, height);
  return {destroy() { u.destroy(); if (ro) ro.disconnect(); }};
}
