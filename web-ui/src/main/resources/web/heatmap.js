// Sub-second heatmap, after FlameScope: a column per second, a row per slice of it (50 rows of 20 ms by default),
// each cell coloured by the samples (or bytes, or blocked time) in it. Drag from one cell to another to choose
// the span between them in time order; GC pauses and safepoints are outlined where the recording has them.
// No imports, so the self-contained page of `mpdiag flame --format heatmap` can inline it beside flame.js.

const HM_ZERO = [246, 246, 246];
// Light yellow to dark red, as FlameScope and async-profiler's heatmap ramp.
const HM_RAMP = [[255, 240, 170], [253, 190, 90], [240, 110, 40], [200, 30, 20], [120, 0, 10]];
const HM_PAUSE = {gc: 'rgba(20, 90, 220, 0.95)', safepoint: 'rgba(150, 40, 200, 0.95)'};

/** Colour of a cell whose value is the share t (0..1] of the map's maximum; square root so faint activity shows. */
export function heatColour(t) {
  if (!(t > 0)) return HM_ZERO;
  const x = Math.sqrt(Math.min(1, t)) * (HM_RAMP.length - 1);
  const i = Math.min(HM_RAMP.length - 2, Math.floor(x));
  const f = x - i, a = HM_RAMP[i], b = HM_RAMP[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

function hmEl(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

function hmPad(n, w) {
  return String(n).padStart(w, '0');
}

/** 14:05:03.240, local time. */
export function clockMillis(ms) {
  const d = new Date(ms);
  return hmPad(d.getHours(), 2) + ':' + hmPad(d.getMinutes(), 2) + ':' + hmPad(d.getSeconds(), 2) + '.'
    + hmPad(d.getMilliseconds(), 3);
}

function hmValue(v, unit) {
  if (unit === 'bytes') return v >= 1e6 ? (v / 1e6).toFixed(1) + ' MB' : v >= 1e3 ? (v / 1e3).toFixed(1) + ' KB' : v + ' B';
  if (unit === 'ns') return v >= 1e6 ? (v / 1e6).toFixed(1) + ' ms' : (v / 1e3).toFixed(0) + ' \u00b5s';
  return v + ' ' + (unit || 'samples');
}

/**
 * One heatmap: data is the /api/v1/heatmap document (or its shape); options.onSelect(fromMillis, toMillis, processId)
 * is called when a span is dragged (processId null on the merged map), options.selection {from, to, process} is drawn.
 */
export class Heatmap {
  constructor(container, data, options = {}) {
    const t0 = performance.now();
    this.container = container;
    this.data = data;
    this.options = options;
    this.maps = [];
    container.classList.add('hm');
    container.textContent = '';
    if (!data.columns) {
      container.appendChild(hmEl('div', 'hm-empty', 'No ' + (data.type || '') + ' samples with times in this selection.'));
      this.drawMillis = performance.now() - t0;
      return;
    }
    const width = Math.max(200, (container.clientWidth || 900) - 150);
    this.cellWidth = Math.max(1, Math.min(14, Math.floor(width / data.columns)));
    const status = hmEl('div', 'hm-status muted small', 'Hover a cell for its time and value; drag across cells to see the flame graph of that span.');
    status.dataset.role = 'hm-status';
    this.status = status;
    const per = data.perProcess || [];
    this._map(data.cells, data.max, per.length ? 'all ' + per.length + ' processes' : 'merged', null,
      Math.max(2, Math.min(4, Math.floor(200 / data.rows))));
    for (const p of per) {
      this._map(p.cells, p.max, p.label || p.id, p.id, Math.max(1, Math.min(2, Math.floor(100 / data.rows))));
    }
    container.appendChild(status);
    container.appendChild(this._legend());
    this.setSelection(options.selection || null);
    this.drawMillis = performance.now() - t0;
    container.dataset.drawMillis = this.drawMillis.toFixed(1);
  }

  _legend() {
    const box = hmEl('div', 'hm-legend small muted');
    box.dataset.role = 'hm-legend';
    const ramp = hmEl('span', 'hm-ramp');
    for (let i = 0; i <= 10; i++) {
      const c = heatColour(i / 10);
      const sw = hmEl('span', 'hm-swatch');
      sw.style.background = 'rgb(' + c.join(',') + ')';
      ramp.appendChild(sw);
    }
    box.append('0 ', ramp, ' ' + hmValue(this.data.max, this.data.unit) + ' per ' + this.data.rowMillis + ' ms cell (merged map)');
    const pauses = this.data.pauses || [];
    const kinds = new Set(pauses.map(p => p.kind));
    for (const k of ['gc', 'safepoint']) {
      if (!kinds.has(k)) continue;
      const mark = hmEl('span', 'hm-pause-key');
      mark.style.borderColor = HM_PAUSE[k];
      box.append(' \u00b7 ', mark, ' ' + (k === 'gc' ? 'GC pause' : 'safepoint') + ' (' + pauses.filter(p => p.kind === k).length + ')');
    }
    return box;
  }

  _map(cells, max, label, processId, cellHeight) {
    const d = this.data, cw = this.cellWidth, ch = cellHeight;
    const row = hmEl('div', 'hm-row');
    row.dataset.role = 'hm-map';
    if (processId) row.dataset.process = processId;
    const name = hmEl('div', 'hm-label small', label);
    name.title = label;
    const stage = hmEl('div', 'hm-stage');
    const w = d.columns * cw, h = d.rows * ch;
    stage.style.width = w + 'px';
    stage.style.height = h + 'px';
    // Cells go into an ImageData one pixel each and are scaled up once: 16 maps of 10 minutes are 480,000
    // cells, too many for a fillRect each within the 300 ms the view allows itself.
    const img = new ImageData(d.columns, d.rows);
    const px = img.data;
    const scale = max > 0 ? 1 / max : 0;
    for (let c = 0; c < d.columns; c++) {
      for (let r = 0; r < d.rows; r++) {
        const rgb = heatColour(cells[c * d.rows + r] * scale);
        const o = (r * d.columns + c) * 4;
        px[o] = rgb[0]; px[o + 1] = rgb[1]; px[o + 2] = rgb[2]; px[o + 3] = 255;
      }
    }
    const small = document.createElement('canvas');
    small.width = d.columns;
    small.height = d.rows;
    small.getContext('2d').putImageData(img, 0, 0);
    const base = document.createElement('canvas');
    base.className = 'hm-base';
    base.width = w;
    base.height = h;
    const g = base.getContext('2d');
    g.imageSmoothingEnabled = false;
    g.drawImage(small, 0, 0, w, h);
    this._pauses(g, processId, cw, ch);
    const over = document.createElement('canvas');
    over.className = 'hm-over';
    over.width = w;
    over.height = h;
    stage.append(base, over);
    row.append(name, stage);
    this.container.appendChild(row);
    const map = {row, over, cells, processId, cw, ch};
    this.maps.push(map);
    this._interact(map);
    return map;
  }

  _pauses(g, processId, cw, ch) {
    const d = this.data;
    g.lineWidth = 1.5;
    for (const p of d.pauses || []) {
      if (processId && p.process !== processId) continue;
      const off = p.at - d.from;
      let c = Math.floor(off / 1000), r = Math.floor((off % 1000) / d.rowMillis);
      let n = Math.max(1, Math.ceil(p.ms / d.rowMillis));
      g.strokeStyle = HM_PAUSE[p.kind] || HM_PAUSE.gc;
      while (n > 0 && c < d.columns) {
        const take = Math.min(n, d.rows - r);
        g.strokeRect(c * cw + 0.75, r * ch + 0.75, Math.max(1, cw - 1.5), take * ch - 1.5);
        n -= take; c++; r = 0;
      }
    }
  }

  /** Cell under a mouse event, clamped to the map. */
  _cell(map, e) {
    const b = map.over.getBoundingClientRect();
    const c = Math.max(0, Math.min(this.data.columns - 1, Math.floor((e.clientX - b.left) / map.cw)));
    const r = Math.max(0, Math.min(this.data.rows - 1, Math.floor((e.clientY - b.top) / map.ch)));
    return {c, r};
  }

  _time(c, r) {
    return this.data.from + c * 1000 + r * this.data.rowMillis;
  }

  _interact(map) {
    let start = null;
    const d = this.data;
    map.over.addEventListener('mousemove', e => {
      const {c, r} = this._cell(map, e);
      const v = map.cells[c * d.rows + r];
      this.status.textContent = clockMillis(this._time(c, r)) + ' + ' + d.rowMillis + ' ms \u00b7 ' + hmValue(v, d.unit)
        + (map.processId ? '' : ' (all processes)');
      if (start) {
        const a = this._time(start.c, start.r), b = this._time(c, r);
        this._draw(map, Math.min(a, b), Math.max(a, b) + d.rowMillis);
      }
    });
    map.over.addEventListener('mousedown', e => {
      e.preventDefault();
      start = this._cell(map, e);
      const t = this._time(start.c, start.r);
      this._draw(map, t, t + d.rowMillis);
    });
    const end = e => {
      if (!start) return;
      const {c, r} = this._cell(map, e);
      const a = this._time(start.c, start.r), b = this._time(c, r);
      start = null;
      const from = Math.min(a, b), to = Math.max(a, b) + d.rowMillis;
      this.setSelection({from, to, process: map.processId});
      if (this.options.onSelect) this.options.onSelect(from, to, map.processId);
    };
    map.over.addEventListener('mouseup', end);
    map.over.addEventListener('mouseleave', e => { if (start) end(e); });
  }

  /** Shades the cells of [from, to) on one map, in time order as FlameScope does. */
  _draw(map, from, to) {
    const g = map.over.getContext('2d'), d = this.data;
    g.clearRect(0, 0, map.over.width, map.over.height);
    if (from == null) return;
    g.fillStyle = 'rgba(40, 110, 255, 0.35)';
    g.strokeStyle = 'rgba(20, 60, 200, 0.9)';
    for (let t = Math.max(from, d.from); t < Math.min(to, d.from + d.columns * 1000); ) {
      const off = t - d.from, c = Math.floor(off / 1000), r = Math.floor((off % 1000) / d.rowMillis);
      const rowsLeft = Math.min(d.rows - r, Math.ceil((to - t) / d.rowMillis));
      g.fillRect(c * map.cw, r * map.ch, map.cw, rowsLeft * map.ch);
      t = d.from + c * 1000 + (r + rowsLeft) * d.rowMillis;
    }
  }

  /** Draws a selection {from, to, process} (process null: the merged map), or clears it. */
  setSelection(sel) {
    this.selection = sel;
    for (const m of this.maps) {
      if (sel && (sel.process || null) === m.processId) this._draw(m, sel.from, sel.to);
      else this._draw(m, null, null);
    }
  }

  destroy() {
    this.container.textContent = '';
    this.maps = [];
  }
}

/**
 * The flame graph data (the shape FlameTree.writeJson gives flame.js) of the samples whose cells lie in
 * [firstCell, endCell), from a self-contained page's samples: names, frames [name, kind] pairs, stacks (frame ids
 * leaf first) and entries [cell offset, stack, weight] triples.
 */
export function spanFlame(samples, type, unit, firstCell, endCell) {
  const byStack = new Map();
  const e = samples.entries;
  let total = 0;
  for (let i = 0; i < e.length; i += 3) {
    if (e[i] >= firstCell && e[i] < endCell) {
      byStack.set(e[i + 1], (byStack.get(e[i + 1]) || 0) + e[i + 2]);
      total += e[i + 2];
    }
  }
  const names = samples.names.slice();
  let allName = names.indexOf('all');
  if (allName < 0) { names.push('all'); allName = names.length - 1; }
  const root = {name: allName, kind: samples.kinds.indexOf('root'), total, self: 0, kids: new Map()};
  for (const [stack, w] of byStack) {
    const frames = samples.stacks[stack];
    let node = root;
    for (let i = frames.length - 1; i >= 0; i--) {
      const f = frames[i], name = samples.frames[2 * f], kind = samples.frames[2 * f + 1];
      const key = name * 64 + kind;
      let kid = node.kids.get(key);
      if (!kid) { kid = {name, kind, total: 0, self: 0, kids: new Map()}; node.kids.set(key, kid); }
      kid.total += w;
      node = kid;
    }
    node.self += w;
  }
  const nodes = [];
  (function walk(n, depth) {
    nodes.push(n.name, Math.max(0, n.kind), depth, n.total, n.self);
    [...n.kids.values()].sort((a, b) => b.total - a.total).forEach(k => walk(k, depth + 1));
  })(root, 0);
  return {type, unit, total, names, kinds: samples.kinds, nodes};
}
