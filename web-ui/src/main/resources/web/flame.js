// Canvas flame graph of mpdiag: zoom, search, tooltips, flame/icicle, top-functions table, diff colouring.
//
// The Java side inlines this text, followed by bootstrap code, into one module script element of a self-contained
// report, and the dashboard imports it as a module. So: no imports, no top-level side effects, every private
// top-level name starts with "fg"/"FG_" so it cannot clash with the bootstrap code sharing the module scope, and
// the text never contains an HTML end-tag or comment-open sequence (it would end the inlined script early).
//
// Data (built by the Java side):
//   {type, unit: "samples"|"bytes"|"ns", total, names: [...], kinds: [...],
//    nodes: [name, kind, depth, total, self, ...] (5 per node, pre-order, node 0 = root at depth 0),
//    base: [baseTotal, baseSelf, ...] (2 per node, only for a differential graph)}

const FG_VARIANTS = 8;        // colour variants per frame kind, picked by a hash of the frame name
const FG_DIFF_LEVELS = 12;    // intensity steps per side (grown / shrunk) in diff mode
const FG_TEXT_MIN_PX = 22;    // frames narrower than this get no label
const FG_MAX_CANVAS_SIDE = 32767;              // Firefox's limit per canvas side (Chromium allows 65535)
const FG_MAX_CANVAS_PIXELS = 32 * 1024 * 1024; // keeps a very deep graph's backing store near 128 MB
const FG_DEPTH_CONTEXT = 8;   // ancestor rows kept above a zoomed frame when the stack is too deep to show whole
const FG_HIGHLIGHT = 0;       // bucket ids: search match, pruned remainder, then diff levels, then kind variants
const FG_OTHER = 1;
const FG_DIFF_FIRST = 2;
const FG_KIND_FIRST = FG_DIFF_FIRST + 2 * FG_DIFF_LEVELS + 1;

// [r, g, b, vr, vg, vb]: base colour of a frame kind and how far its name-hash variants may move from it.
const FG_PALETTE = {
  root: [196, 196, 210, 16, 16, 16],
  interpreted: [196, 222, 96, 30, 24, 30],
  jit: [72, 196, 72, 50, 40, 50],
  inlined: [150, 228, 150, 34, 20, 34],
  native: [228, 92, 84, 24, 40, 40],
  cpp: [232, 156, 72, 20, 34, 30],
  kernel: [222, 122, 0, 28, 36, 30],
  'alloc-class': [96, 156, 230, 30, 34, 20],
  'lock-class': [204, 160, 52, 26, 28, 24],
  'thread-state': [150, 150, 196, 10, 10, 14],
  other: [190, 190, 190, 0, 0, 0],
  unknown: [176, 170, 220, 24, 24, 20],
};

/** Formats a weight in the profile's unit: samples as a count, bytes as KB/MB/GB, nanoseconds as ms or s. */
export function formatValue(value, unit) {
  const v = Number(value) || 0;
  const a = Math.abs(v);
  if (unit === 'bytes') {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let u = 0, x = a;
    while (x >= 1024 && u < units.length - 1) { x /= 1024; u++; }
    const s = u === 0 ? String(Math.round(x)) : x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0);
    return (v < 0 ? '-' : '') + s + ' ' + units[u];
  }
  if (unit === 'ns') {
    if (a >= 1e9) return (v / 1e9).toFixed(a >= 1e11 ? 0 : 2) + ' s';
    if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e8 ? 0 : a >= 1e7 ? 1 : 2) + ' ms';
    if (a === 0) return '0 ms';
    return (v / 1e6).toFixed(3) + ' ms';
  }
  const n = Math.round(v).toLocaleString('en-US');
  if (unit === 'samples' || !unit) return n + (Math.round(a) === 1 ? ' sample' : ' samples');
  return n + ' ' + unit;
}

function fgShare(x) {
  if (!isFinite(x)) return '0%';
  const p = x * 100;
  return (Math.abs(p) >= 10 ? p.toFixed(1) : p.toFixed(2)) + '%';
}

function fgSigned(text, x) {
  return (x > 0 ? '+' : '') + text;
}

function fgHash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function fgRgb(r, g, b) {
  return 'rgb(' + Math.round(r) + ',' + Math.round(g) + ',' + Math.round(b) + ')';
}

function fgTextColour(r, g, b) {
  return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? '#fff' : '#111';
}

function fgKindColour(kind, variant) {
  const p = FG_PALETTE[kind] || FG_PALETTE.unknown;
  const t = variant / (FG_VARIANTS - 1);
  return [Math.min(255, p[0] + p[3] * t), Math.min(255, p[1] + p[4] * t), Math.min(255, p[2] + p[5] * t)];
}

// Diff level k of FG_DIFF_LEVELS: pale to strong red (grown) or blue (shrunk).
function fgDiffColour(sign, level) {
  if (sign === 0) return [222, 222, 222];
  const t = level / FG_DIFF_LEVELS;
  return sign > 0
    ? [250 - 40 * t, 214 - 170 * t, 214 - 170 * t]
    : [214 - 170 * t, 226 - 130 * t, 252 - 22 * t];
}

// Colour by package: the application's own packages in strong hues, one per package; the JDK and well-known
// frameworks and libraries muted, so the code a user can change stands out from 30 rows of server frames.
const FG_APP_HUES = 12;
const FG_JDK_PREFIXES = ['java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'jakarta.'];
const FG_FRAMEWORK_PREFIXES = ['org.eclipse.jetty.', 'io.javalin.', 'io.netty.', 'org.springframework.', 'org.apache.',
  'com.fasterxml.', 'com.google.', 'io.micrometer.', 'io.grpc.', 'io.undertow.', 'io.vertx.', 'io.quarkus.',
  'org.hibernate.', 'org.glassfish.', 'org.jboss.', 'kotlin.', 'kotlinx.', 'scala.', 'akka.', 'reactor.',
  'io.reactivex.', 'okhttp3.', 'okio.', 'org.slf4j.', 'ch.qos.logback.', 'com.zaxxer.', 'org.postgresql.',
  'com.mysql.', 'org.h2.', 'org.junit.', 'org.mockito.', 'net.bytebuddy.', 'org.objectweb.asm.', 'io.opentelemetry.',
  'io.dropwizard.', 'com.codahale.', 'org.jooq.', 'org.yaml.', 'picocli.', 'feign.', 'retrofit2.', 'com.squareup.',
  'org.openjdk.jmc.', 'one.profiler.', 'io.prometheus.', 'org.eclipse.microprofile.', 'org.aspectj.', 'groovy.',
  'org.codehaus.groovy.', 'clojure.', 'com.oracle.', 'oracle.', 'org.graalvm.'];
// Kinds of frame that are Java methods (the others keep their kind's colour in either mode).
const FG_JAVA_KINDS = new Set(['interpreted', 'jit', 'inlined', 'unknown']);

/** 'jdk', 'framework' or 'app' for a Java frame's name ("pkg.Class.method"), and the package it is in. */
export function packageOf(name) {
  const s = String(name);
  const paren = s.indexOf('(');
  const bare = paren > 0 ? s.slice(0, paren) : s;
  const method = bare.lastIndexOf('.');
  const cls = method > 0 ? bare.slice(0, method) : bare;
  const dot = cls.lastIndexOf('.');
  const pkg = dot > 0 ? cls.slice(0, dot) : '';
  const dotted = pkg + '.';
  if (FG_JDK_PREFIXES.some(p => dotted.startsWith(p))) return {group: 'jdk', pkg};
  if (FG_FRAMEWORK_PREFIXES.some(p => dotted.startsWith(p))) return {group: 'framework', pkg};
  return {group: 'app', pkg};  // the default package too: only an application puts classes there
}

// App hue h of FG_APP_HUES: saturated, spread around the wheel, dark enough for white or black labels.
function fgAppColour(h) {
  const hue = (h * 360 / FG_APP_HUES + 20) % 360;
  const c = 0.62, l = 0.55, x = c * (1 - Math.abs((hue / 60) % 2 - 1)), m0 = l - c / 2;
  const [r, g, b] = hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x]
    : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
  return [(r + m0) * 255, (g + m0) * 255, (b + m0) * 255];
}

// Muted variants: JDK frames a light warm grey, framework frames a light blue-grey.
function fgMutedColour(group, variant) {
  const t = variant / (FG_VARIANTS - 1);
  return group === 'jdk' ? [214 + 14 * t, 210 + 12 * t, 200 + 12 * t] : [196 + 14 * t, 206 + 12 * t, 222 + 10 * t];
}

/** Validated, typed-array form of the JSON data plus the layout (x, width) every view shares. */
function fgBuildModel(data) {
  if (!data || typeof data !== 'object') throw new TypeError('flame graph: data must be an object');
  const nodes = data.nodes || [];
  const names = data.names || [];
  const kinds = data.kinds || [];
  if (nodes.length % 5 !== 0) throw new TypeError('flame graph: nodes length ' + nodes.length + ' is not a multiple of 5');
  const n = nodes.length / 5;
  const m = {
    n, names, kinds, unit: data.unit || 'samples', type: data.type || '',
    name: new Int32Array(n), kind: new Int32Array(n), depth: new Int32Array(n),
    total: new Float64Array(n), self: new Float64Array(n),
    baseTotal: null, baseSelf: null,
    parent: new Int32Array(n), end: new Int32Array(n), x: new Float64Array(n), w: new Float64Array(n),
    maxDepth: 0, rootTotal: 0, diff: false, bucket: new Uint16Array(n), bucketKind: null, bucketPkg: null,
    pkgBase: 0, group: new Int8Array(n), kindName: [],
  };
  if (n === 0) return m;
  const hasBase = Array.isArray(data.base);
  if (hasBase) {
    if (data.base.length !== 2 * n) throw new TypeError('flame graph: base has ' + data.base.length + ' numbers, expected ' + 2 * n);
    m.diff = true;
    m.baseTotal = new Float64Array(n);
    m.baseSelf = new Float64Array(n);
  }
  for (let k = 0; k < kinds.length; k++) m.kindName[k] = String(kinds[k]);
  const stack = new Int32Array(n + 1);
  let top = 0;
  for (let i = 0, o = 0; i < n; i++, o += 5) {
    const nm = nodes[o] | 0, kd = nodes[o + 1] | 0, d = nodes[o + 2] | 0;
    if (nm < 0 || nm >= names.length) throw new TypeError('flame graph: node ' + i + ' has name index ' + nm + ' out of range');
    if (i === 0 ? d !== 0 : d < 1 || d > top) throw new TypeError('flame graph: node ' + i + ' has depth ' + d + ' after depth ' + (top - 1));
    m.name[i] = nm;
    m.kind[i] = kd >= 0 && kd < kinds.length ? kd : -1;
    m.depth[i] = d;
    m.total[i] = +nodes[o + 3] || 0;
    m.self[i] = +nodes[o + 4] || 0;
    if (hasBase) {
      m.baseTotal[i] = +data.base[2 * i] || 0;
      m.baseSelf[i] = +data.base[2 * i + 1] || 0;
    }
    // Every node still open at depth >= d ends here; pre-order makes a subtree the range [i, end[i]).
    while (top > d) m.end[stack[--top]] = i;
    m.parent[i] = d === 0 ? -1 : stack[d - 1];
    stack[top++] = i;
    if (d > m.maxDepth) m.maxDepth = d;
  }
  while (top > 0) m.end[stack[--top]] = n;
  m.rootTotal = +data.total || m.total[0];

  // Width: a node is at least as wide as its children plus its self weight, so a diff graph (each frame as
  // wide as the larger side) still nests.
  const childSum = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const own = hasBase ? Math.max(m.total[i], m.baseTotal[i]) : m.total[i];
    const self = hasBase ? Math.max(m.self[i], m.baseSelf[i]) : m.self[i];
    m.w[i] = Math.max(own, childSum[i] + self, 0);
    if (i > 0) childSum[m.parent[i]] += m.w[i];
  }
  const next = childSum; // reused: next free x inside each node
  next[0] = 0;
  for (let i = 1; i < n; i++) {
    const p = m.parent[i];
    m.x[i] = next[p];
    next[p] += m.w[i];
    next[i] = m.x[i];
  }

  // Colour bucket per node: kind and a name-hash variant, or the pruned remainder, or a diff level.
  const variant = new Int8Array(names.length).fill(-1);
  let maxDelta = 0;
  if (hasBase) {
    for (let i = 1; i < n; i++) maxDelta = Math.max(maxDelta, Math.abs(m.total[i] - m.baseTotal[i]));
  }
  const root = m.rootTotal || 1;
  for (let i = 0; i < n; i++) {
    const kindName = m.kind[i] >= 0 ? m.kindName[m.kind[i]] : 'unknown';
    if (kindName === 'other' && names[m.name[i]] === 'other') { m.bucket[i] = FG_OTHER; continue; }
    if (hasBase) {
      const delta = m.total[i] - m.baseTotal[i];
      // Deltas under 0.05% of the root are noise: neutral grey. Above, intensity grows with sqrt of the delta.
      if (Math.abs(delta) / root < 0.0005 || maxDelta === 0) { m.bucket[i] = FG_DIFF_FIRST + FG_DIFF_LEVELS; continue; }
      const level = Math.max(1, Math.min(FG_DIFF_LEVELS, Math.ceil(Math.sqrt(Math.abs(delta) / maxDelta) * FG_DIFF_LEVELS)));
      m.bucket[i] = FG_DIFF_FIRST + FG_DIFF_LEVELS + (delta > 0 ? level : -level);
      continue;
    }
    const nm = m.name[i];
    if (variant[nm] < 0) variant[nm] = fgHash(String(names[nm])) % FG_VARIANTS;
    m.bucket[i] = FG_KIND_FIRST + (m.kind[i] + 1) * FG_VARIANTS + variant[nm];
  }
  fgPackageBuckets(m, variant);
  return m;
}

// The package-mode bucket of every node (diff and pruned buckets stay as they are), and each node's group
// (0 not a Java frame, 1 jdk, 2 framework, 3 app) for the hottest-path action. Packages are classified once per name.
function fgPackageBuckets(m, variant) {
  m.bucketKind = m.bucket;
  m.bucketPkg = new Uint16Array(m.n);
  m.pkgBase = FG_KIND_FIRST + (m.kindName.length + 1) * FG_VARIANTS;
  const byName = new Int32Array(m.names.length).fill(-1);
  for (let i = 0; i < m.n; i++) {
    const kb = m.bucketKind[i];
    const kindName = fgKindOf(m, i);
    if (kb < FG_KIND_FIRST || i === 0 || !FG_JAVA_KINDS.has(kindName)) { m.bucketPkg[i] = kb; continue; }
    const nm = m.name[i];
    if (byName[nm] < 0) {
      const {group, pkg} = packageOf(m.names[nm]);
      const v = variant[nm] >= 0 ? variant[nm] : 0;
      byName[nm] = group === 'jdk' ? (1 << 16) | v : group === 'framework' ? (2 << 16) | (FG_VARIANTS + v)
        : (3 << 16) | (2 * FG_VARIANTS + fgHash(pkg) % FG_APP_HUES);
    }
    m.group[i] = byName[nm] >> 16;
    m.bucketPkg[i] = m.pkgBase + (byName[nm] & 0xFFFF);
  }
}

function fgKindOf(m, i) {
  return m.kind[i] >= 0 ? m.kindName[m.kind[i]] : 'unknown';
}

// Per bucket: packed pixel colour (as the canvas's Uint32 view of RGBA bytes reads it), a washed-out variant
// for the zoomed frame's ancestors, and a label colour that stays readable on it.
function fgBuildStyles(m) {
  const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  const pack = (r, g, b) => (littleEndian
    ? (255 << 24 | b << 16 | g << 8 | r) : (r << 24 | g << 16 | b << 8 | 255)) >>> 0;
  const wash = v => Math.round(v + (255 - v) * 0.55);
  const packed = [], dimmed = [], text = [];
  const put = (b, c) => {
    const r = Math.round(c[0]), g = Math.round(c[1]), bl = Math.round(c[2]);
    packed[b] = pack(r, g, bl);
    dimmed[b] = pack(wash(r), wash(g), wash(bl));
    text[b] = fgTextColour(r, g, bl);
  };
  put(FG_HIGHLIGHT, [232, 64, 232]);
  put(FG_OTHER, [212, 212, 212]);
  text[FG_OTHER] = '#333';
  for (let l = -FG_DIFF_LEVELS; l <= FG_DIFF_LEVELS; l++) {
    put(FG_DIFF_FIRST + FG_DIFF_LEVELS + l, fgDiffColour(Math.sign(l), Math.abs(l)));
  }
  for (let k = -1; k < m.kindName.length; k++) {
    for (let v = 0; v < FG_VARIANTS; v++) {
      put(FG_KIND_FIRST + (k + 1) * FG_VARIANTS + v, fgKindColour(k < 0 ? 'unknown' : m.kindName[k], v));
    }
  }
  for (let v = 0; v < FG_VARIANTS; v++) {
    put(m.pkgBase + v, fgMutedColour('jdk', v));
    put(m.pkgBase + FG_VARIANTS + v, fgMutedColour('framework', v));
  }
  for (let h = 0; h < FG_APP_HUES; h++) put(m.pkgBase + 2 * FG_VARIANTS + h, fgAppColour(h));
  return {packed: Uint32Array.from(packed), dimmed: Uint32Array.from(dimmed), text,
    hatchLight: pack(214, 214, 214), hatchDark: pack(160, 160, 160)};
}

// Per distinct name: self summed over all nodes; total summed once per stack path (a recursive call
// below a frame of the same name is already inside that frame's total).
function fgTopRows(m) {
  const nNames = m.names.length;
  const self = new Float64Array(nNames), total = new Float64Array(nNames);
  const bSelf = m.diff ? new Float64Array(nNames) : null, bTotal = m.diff ? new Float64Array(nNames) : null;
  const firstKind = new Int32Array(nNames).fill(-2);
  const onPath = new Int32Array(nNames);
  const path = new Int32Array(m.maxDepth + 2);
  let top = 0;
  for (let i = 0; i < m.n; i++) {
    const d = m.depth[i];
    while (top > d) {
      const p = path[--top];
      if (p > 0) onPath[m.name[p]]--;
    }
    const nm = m.name[i];
    if (i > 0) {
      self[nm] += m.self[i];
      if (m.diff) bSelf[nm] += m.baseSelf[i];
      if (onPath[nm] === 0) {
        total[nm] += m.total[i];
        if (m.diff) bTotal[nm] += m.baseTotal[i];
      }
      if (firstKind[nm] === -2) firstKind[nm] = m.kind[i];
      onPath[nm]++;
    }
    path[top++] = i;
  }
  const rows = [];
  for (let nm = 0; nm < nNames; nm++) {
    if (firstKind[nm] === -2) continue;
    const row = {
      name: String(m.names[nm]), kind: firstKind[nm] >= 0 ? m.kindName[firstKind[nm]] : 'unknown',
      self: self[nm], total: total[nm],
    };
    if (m.diff) { row.baseSelf = bSelf[nm]; row.baseTotal = bTotal[nm]; }
    rows.push(row);
  }
  return rows;
}

/**
 * Top functions of a flame graph data object: one row per distinct frame name (root excluded) with
 * {name, kind, self, total} and, for a diff, {baseSelf, baseTotal}; total counts recursion once.
 */
export function topFunctions(data) {
  return fgTopRows(fgBuildModel(data));
}

function fgEl(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text != null) e.textContent = text;
  return e;
}

/**
 * Renders a sortable top-functions table into container. rows come from topFunctions().
 * options: {unit, rootTotal, diff, maxRows = 100, sort = 'self', onSelect(name), swatch(row) -> [r, g, b]}.
 * Returns {element, setSelected(name), sortBy(key, descending)}.
 */
export function renderTopTable(container, rows, options = {}) {
  const unit = options.unit || 'samples';
  const root = options.rootTotal || 1;
  const diff = !!options.diff;
  const step = options.maxRows || 100;
  const state = {key: options.sort || 'self', desc: true, limit: step, selected: null, sorted: []};
  const columns = [
    {key: 'name', label: 'Function', get: r => r.name},
    {key: 'self', label: 'Self', get: r => r.self},
    {key: 'total', label: 'Total', get: r => r.total},
  ];
  if (diff) {
    columns.push({key: 'dself', label: '\u0394 Self', get: r => r.self - r.baseSelf});
    columns.push({key: 'dtotal', label: '\u0394 Total', get: r => r.total - r.baseTotal});
  }
  const wrap = fgEl('div', 'fg-top');
  const table = fgEl('table', 'fg-table');
  table.setAttribute('aria-label', 'Top functions');
  const head = fgEl('thead');
  const headRow = fgEl('tr');
  const ths = [];
  for (const c of columns) {
    const th = fgEl('th', c.key === 'name' ? 'fg-col-name' : 'fg-col-num');
    th.scope = 'col';
    th.dataset.key = c.key;
    const b = fgEl('button', 'fg-sort', c.label);
    b.type = 'button';
    b.addEventListener('click', () => {
      if (state.key === c.key) state.desc = !state.desc;
      else { state.key = c.key; state.desc = c.key !== 'name'; }
      render();
    });
    th.appendChild(b);
    headRow.appendChild(th);
    ths.push(th);
  }
  head.appendChild(headRow);
  const body = fgEl('tbody');
  table.append(head, body);
  const foot = fgEl('div', 'fg-top-foot');
  const count = fgEl('span', 'fg-top-count');
  count.dataset.role = 'top-count';
  const more = fgEl('button', 'fg-btn fg-more', 'Show more');
  more.type = 'button';
  more.addEventListener('click', () => { state.limit += step; render(); });
  foot.append(count, more);
  wrap.append(table, foot);
  container.appendChild(wrap);

  body.addEventListener('click', e => {
    const tr = e.target.closest('tr');
    if (!tr || !body.contains(tr)) return;
    const row = state.sorted[+tr.dataset.index];
    if (row && options.onSelect) options.onSelect(row.name);
  });

  function numCell(value, ofTotal, signed) {
    const td = fgEl('td', 'fg-col-num');
    const share = fgEl('span', 'fg-share', signed ? fgSigned(fgShare(value / ofTotal), value) : fgShare(value / ofTotal));
    const val = fgEl('span', 'fg-value', signed ? fgSigned(formatValue(value, unit), value) : formatValue(value, unit));
    if (signed && value !== 0) td.classList.add(value > 0 ? 'fg-grown' : 'fg-shrunk');
    td.append(share, val);
    return td;
  }

  function render() {
    const col = columns.find(c => c.key === state.key) || columns[1];
    const sign = state.desc ? -1 : 1;
    state.sorted = rows.slice().sort((a, b) => {
      const x = col.get(a), y = col.get(b);
      if (col.key === 'name') return sign * (x < y ? -1 : x > y ? 1 : 0);
      const d = col.key.charAt(0) === 'd' ? Math.abs(x) - Math.abs(y) : x - y;
      return sign * d || (a.name < b.name ? -1 : 1);
    });
    for (const th of ths) {
      th.setAttribute('aria-sort', th.dataset.key === state.key ? (state.desc ? 'descending' : 'ascending') : 'none');
    }
    const shown = Math.min(state.limit, state.sorted.length);
    const frag = document.createDocumentFragment();
    for (let k = 0; k < shown; k++) {
      const r = state.sorted[k];
      const tr = fgEl('tr');
      tr.dataset.index = String(k);
      if (r.name === state.selected) tr.classList.add('fg-selected');
      const tdName = fgEl('td', 'fg-col-name');
      const sw = fgEl('span', 'fg-swatch');
      const c = options.swatch ? options.swatch(r) : fgKindColour(r.kind, 3);
      sw.style.background = r.kind === 'other' ? '' : fgRgb(c[0], c[1], c[2]);
      if (r.kind === 'other') sw.classList.add('fg-swatch-other');
      sw.title = r.kind;
      const btn = fgEl('button', 'fg-fn', r.name);
      btn.type = 'button';
      btn.title = r.name + ' (' + r.kind + ') \u2014 search for this function';
      tdName.append(sw, btn);
      tr.append(tdName, numCell(r.self, root, false), numCell(r.total, root, false));
      if (diff) tr.append(numCell(r.self - r.baseSelf, root, true), numCell(r.total - r.baseTotal, root, true));
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
    count.textContent = rows.length === 0 ? 'No functions'
      : 'Showing ' + shown + ' of ' + rows.length + ' functions';
    more.hidden = shown >= state.sorted.length;
  }

  render();
  return {
    element: wrap,
    setSelected(name) {
      state.selected = name;
      for (const tr of body.children) {
        tr.classList.toggle('fg-selected', state.sorted[+tr.dataset.index].name === name);
      }
    },
    sortBy(key, descending = true) { state.key = key; state.desc = descending; render(); },
  };
}

// A toolbar button with its data-role (what the tests and the view find it by).
function fgButton(className, role, text, title) {
  const b = fgEl('button', className, text);
  b.type = 'button';
  b.dataset.role = role;
  if (title) b.title = title;
  return b;
}

/**
 * A flame graph with its toolbar, breadcrumb, tooltip and top-functions table, built inside container.
 * options: {orientation: 'icicle'|'flame' (default icicle), rowHeight: 16, minFramePx: 0.5, showTable: true,
 *           tableRows: 100, search: '', zoomPath: [names], colour: 'package'|'kind' (default package),
 *           onStateChange({zoomPath, search, orientation, colour})}.
 */
export class FlameGraph {
  constructor(container, data, options = {}) {
    this.container = container;
    this.options = Object.assign({
      orientation: 'icicle', rowHeight: 16, minFramePx: 0.5, showTable: true, tableRows: 100,
      search: '', zoomPath: null, onStateChange: null, colour: 'package',
    }, options);
    this._colour = this.options.colour === 'kind' ? 'kind' : 'package';
    this._orientation = this.options.orientation === 'flame' ? 'flame' : 'icicle';
    this._zoom = 0;
    this._searchText = '';
    this._matched = null;
    this._lastDrawMs = 0;
    this._stats = {drawn: 0, skipped: 0, clipped: 0, ms: 0};
    this._rowBase = 0;
    this._rowCount = 1;
    this._needsDraw = true;
    this._rafId = 0;
    this._searchTimer = 0;
    this._hover = -1;
    this._buildDom();
    this._listen();
    this.setData(data, {search: this.options.search, zoomPath: this.options.zoomPath});
  }

  /** Milliseconds the last draw took (layout of visible frames, rectangles and labels). */
  get lastDrawMs() { return this._lastDrawMs; }

  /**
   * {drawn, skipped, clipped, ms} of the last draw: skipped frames are narrower than minFramePx (counted with their
   * subtrees), clipped ones lie deeper than a too-deep stack's visible depth window.
   */
  get lastDrawStats() { return Object.assign({}, this._stats); }

  get orientation() { return this._orientation; }

  /** Node index the view is zoomed to (0 = root). */
  get zoomNode() { return this._zoom; }

  /** Replaces the data; keeps the orientation and re-applies a search and zoom path when given. */
  setData(data, state = {}) {
    this._model = fgBuildModel(data);
    this._model.bucket = this._colour === 'kind' ? this._model.bucketKind : this._model.bucketPkg;
    this._styles = fgBuildStyles(this._model);
    const n = this._model.n;
    this._idx = new Int32Array(n);
    this._bk = new Uint16Array(n);
    this._sorted = new Int32Array(n);
    this._labelWidth = new Float32Array(this._model.names.length).fill(-1);
    this._zoom = 0;
    this._matched = null;
    this._root.classList.toggle('fg-diff', this._model.diff);
    const empty = n === 0 || this._model.w[0] <= 0;
    this._empty.hidden = !empty;
    this._canvas.hidden = empty;
    this._summary.textContent = empty ? '' : (this._model.type ? this._model.type + ' \u00b7 ' : '')
      + formatValue(this._model.rootTotal, this._model.unit) + (this._model.diff ? ' \u00b7 diff' : '');
    this._buildTable();
    if (state.zoomPath) this.zoomToPath(state.zoomPath, false);
    const text = state.search != null ? state.search : this._searchText;
    this._input.value = text || '';
    this._applySearch(text || '', false);
    this._renderCrumbs();
    this.redraw();
  }

  /** Draws now; call after showing a container that was hidden when the graph was created. */
  redraw() {
    this._draw();
  }

  /**
   * Highlights frames whose name contains text (case-insensitive) or matches it as a regular expression;
   * "/re/" is a regular expression only. Returns {share, weight, frames}: the matched weight counts every
   * sample once (a match inside a matched frame adds nothing) and share is that weight over the root total.
   */
  search(text) {
    this._input.value = text == null ? '' : String(text);
    const r = this._applySearch(this._input.value, true);
    this._draw();
    return r;
  }

  /** Zooms so that node i fills the width; 0 resets. */
  zoomTo(i) {
    const m = this._model;
    if (!(i >= 0 && i < m.n) || m.w[i] <= 0) i = 0;
    this._zoom = i | 0;
    this._renderCrumbs();
    this._draw();
    this._notify();
  }

  /** Zooms to the node reached by following frame names from the root's children; stops at the first miss. */
  zoomToPath(names, draw = true) {
    const m = this._model;
    let node = 0;
    for (const want of names || []) {
      let found = -1;
      for (let c = node + 1; c < m.end[node]; c = m.end[c]) {
        if (String(m.names[m.name[c]]) === want) { found = c; break; }
      }
      if (found < 0) break;
      node = found;
    }
    if (draw) this.zoomTo(node); else this._zoom = node;
    return node;
  }

  /** Names from the root's child down to the zoomed node (empty at the root). */
  zoomPath() {
    const m = this._model, out = [];
    for (let a = this._zoom; a > 0; a = m.parent[a]) out.push(String(m.names[m.name[a]]));
    return out.reverse();
  }

  reset() { this.zoomTo(0); }

  /** 'package' (the application's packages in strong hues, JDK and frameworks muted) or 'kind'. */
  get colour() { return this._colour; }

  setColour(mode) {
    this._applyColour(mode);
    this._buildTable();
    this._draw();
    this._notify();
  }

  /**
   * The hottest path: from the root, the heaviest child at every level down to a leaf. Returns its nodes,
   * root first.
   */
  hottestPath() {
    const m = this._model, path = [];
    if (m.n === 0) return path;
    for (let node = 0; ;) {
      path.push(node);
      let best = -1;
      for (let c = node + 1; c < m.end[node]; c = m.end[c]) {
        if (m.bucket[c] !== FG_OTHER && (best < 0 || m.total[c] > m.total[best])) best = c;
      }
      if (best < 0) return path;
      node = best;
    }
  }

  /**
   * Zooms to where the hottest path enters the application's own code (its first frame outside the JDK and
   * known frameworks), so a cause below dozens of server frames is one click away; the path's leaf when it
   * has no such frame. Returns the node zoomed to.
   */
  focusHottest() {
    const m = this._model, path = this.hottestPath();
    if (path.length === 0) return 0;
    let target = path[path.length - 1];
    for (const i of path) {
      if (m.group[i] === 3) { target = i; break; }
    }
    this.zoomTo(target);
    return target;
  }

  setOrientation(o) {
    this._applyOrientation(o);
    this._draw();
    this._notify();
  }

  _applyColour(mode) {
    this._colour = mode === 'kind' ? 'kind' : 'package';
    if (this._model) this._model.bucket = this._colour === 'kind' ? this._model.bucketKind : this._model.bucketPkg;
    this._colourBtn.textContent = this._colour === 'kind' ? 'Colour: kind' : 'Colour: package';
    this._colourBtn.title = this._colour === 'kind'
      ? 'Coloured by frame kind (interpreted, JIT, inlined, native...); click to colour by package'
      : 'Your packages in strong colours, JDK and frameworks muted; click to colour by frame kind';
    this._colourBtn.setAttribute('aria-pressed', String(this._colour === 'package'));
    this._root.dataset.colour = this._colour;
  }

  // The top table's swatch for a row: the colour its frames get in the current mode.
  _swatch(r) {
    if (this._colour === 'kind' || !FG_JAVA_KINDS.has(r.kind)) return fgKindColour(r.kind, 3);
    const {group, pkg} = packageOf(r.name);
    return group === 'app' ? fgAppColour(fgHash(pkg) % FG_APP_HUES) : fgMutedColour(group, 3);
  }

  _applyOrientation(o) {
    this._orientation = o === 'flame' ? 'flame' : 'icicle';
    this._orientBtn.textContent = this._orientation === 'flame' ? 'Flame' : 'Icicle';
    this._orientBtn.title = this._orientation === 'flame'
      ? 'Root at the bottom; click for icicle (root at the top)'
      : 'Root at the top; click for flame (root at the bottom)';
    this._orientBtn.setAttribute('aria-pressed', String(this._orientation === 'flame'));
    this._root.dataset.orientation = this._orientation;
  }

  /** Node index at a point in canvas CSS pixels, or -1; frames too narrow to be drawn are not hit. */
  frameAt(x, y) {
    const m = this._model;
    if (m.n === 0) return -1;
    const cssW = this._canvas.clientWidth;
    const rowH = this.options.rowHeight, rows = this._rowCount;
    const row = Math.floor(y / rowH);
    if (row < 0 || row >= rows || x < 0 || x >= cssW) return -1;
    const depth = this._rowBase + (this._orientation === 'icicle' ? row : rows - 1 - row);
    const z = this._zoom;
    if (depth <= m.depth[z]) {
      let a = z;
      while (m.depth[a] > depth) a = m.parent[a];
      return a;
    }
    const scale = cssW / m.w[z];
    const pos = m.x[z] + x / scale;
    let node = z;
    for (let d = m.depth[z] + 1; d <= depth; d++) {
      let found = -1;
      for (let c = node + 1; c < m.end[node]; c = m.end[c]) {
        if (pos >= m.x[c] && pos < m.x[c] + m.w[c]) { found = c; break; }
      }
      if (found < 0) return -1;
      node = found;
    }
    return m.w[node] * scale >= this.options.minFramePx ? node : -1;
  }

  /** Rectangle of node i in canvas CSS pixels as currently laid out, or null when it is not in view. */
  frameRect(i) {
    const m = this._model, z = this._zoom;
    if (!(i >= 0 && i < m.n)) return null;
    const cssW = this._canvas.clientWidth;
    const rowH = this.options.rowHeight, rows = this._rowCount, row = m.depth[i] - this._rowBase;
    if (row < 0 || row >= rows) return null;
    const y = (this._orientation === 'icicle' ? row : rows - 1 - row) * rowH;
    if (i === z || (i < z && m.end[i] > z)) return {x: 0, y, w: cssW, h: rowH};
    if (i < z || i >= m.end[z]) return null;
    const scale = cssW / m.w[z];
    const w = m.w[i] * scale;
    if (w < this.options.minFramePx) return null;
    return {x: (m.x[i] - m.x[z]) * scale, y, w, h: rowH};
  }

  /** Facts about node i: {index, name, kind, depth, total, self, baseTotal?, baseSelf?, pruned}. */
  frameInfo(i) {
    const m = this._model;
    if (!(i >= 0 && i < m.n)) return null;
    const info = {
      index: i, name: String(m.names[m.name[i]]), kind: fgKindOf(m, i), depth: m.depth[i],
      total: m.total[i], self: m.self[i], pruned: m.bucket[i] === FG_OTHER,
    };
    if (m.diff) { info.baseTotal = m.baseTotal[i]; info.baseSelf = m.baseSelf[i]; }
    return info;
  }

  /** Rows of the top-functions table (see topFunctions). */
  topFunctions() { return fgTopRows(this._model); }

  /** Removes listeners and everything the graph put into its container. */
  destroy() {
    if (this._resizeObserver) this._resizeObserver.disconnect();
    window.removeEventListener('resize', this._onWindowResize);
    if (this._rafId) cancelAnimationFrame(this._rafId);
    clearTimeout(this._searchTimer);
    this._root.remove();
  }

  _buildDom() {
    const root = fgEl('div', 'fg');
    root.dataset.role = 'flame-graph';
    root.dataset.orientation = this._orientation;

    const bar = fgEl('div', 'fg-toolbar');
    const input = fgEl('input', 'fg-search');
    input.type = 'search';
    input.placeholder = 'Search: text or /regex/';
    input.setAttribute('aria-label', 'Search frames (substring or regular expression)');
    input.spellcheck = false;
    input.autocomplete = 'off';
    input.dataset.role = 'search';
    const share = fgEl('span', 'fg-match');
    share.dataset.role = 'match-share';
    share.setAttribute('aria-live', 'polite');
    const summary = fgEl('span', 'fg-summary');
    summary.dataset.role = 'summary';
    const reset = fgButton('fg-btn', 'reset', 'Reset zoom', 'Show the whole graph (Esc)');
    const orient = fgButton('fg-btn fg-orient', 'orientation');
    const hottest = fgButton('fg-btn', 'hottest', 'Hottest path', 'Zoom to where the heaviest path enters your own code');
    const colour = fgButton('fg-btn', 'colour');
    bar.append(input, share, fgEl('span', 'fg-spacer'), summary, hottest, reset, colour, orient);

    const crumbs = fgEl('nav', 'fg-crumbs');
    crumbs.dataset.role = 'breadcrumb';
    crumbs.setAttribute('aria-label', 'Zoom path');

    const wrap = fgEl('div', 'fg-canvas-wrap');
    wrap.dataset.role = 'canvas-wrap';
    const canvas = fgEl('canvas', 'fg-canvas');
    canvas.dataset.role = 'canvas';
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', 'Flame graph; click a frame to zoom, Escape to reset');
    const hoverBox = fgEl('div', 'fg-hover');
    hoverBox.dataset.role = 'hover-box';
    hoverBox.hidden = true;
    const tip = fgEl('div', 'fg-tooltip');
    tip.dataset.role = 'tooltip';
    tip.setAttribute('role', 'tooltip');
    tip.hidden = true;
    const empty = fgEl('div', 'fg-empty', 'No samples in this selection.');
    empty.dataset.role = 'empty';
    empty.hidden = true;
    const depthNote = fgEl('div', 'fg-note');
    depthNote.dataset.role = 'depth-note';
    depthNote.hidden = true;
    wrap.append(canvas, hoverBox, tip, empty);

    const table = fgEl('div', 'fg-table-wrap');
    table.dataset.role = 'top-table';

    root.append(bar, crumbs, depthNote, wrap, table);
    this.container.appendChild(root);
    Object.assign(this, {
      _root: root, _input: input, _share: share, _summary: summary, _resetBtn: reset, _orientBtn: orient,
      _hottestBtn: hottest, _colourBtn: colour,
      _crumbs: crumbs, _wrap: wrap, _canvas: canvas, _ctx: canvas.getContext('2d', {alpha: false}),
      _hoverBox: hoverBox, _tip: tip, _empty: empty, _tableWrap: table, _depthNote: depthNote,
    });
    this._applyOrientation(this._orientation);
    this._applyColour(this._colour);
  }

  _listen() {
    this._input.addEventListener('input', () => {
      clearTimeout(this._searchTimer);
      this._searchTimer = setTimeout(() => this.search(this._input.value), 150);
    });
    this._input.addEventListener('keydown', e => {
      if (e.key === 'Enter') { clearTimeout(this._searchTimer); this.search(this._input.value); }
    });
    this._root.addEventListener('keydown', e => {
      if (e.key !== 'Escape') return;
      if (e.target === this._input && this._input.value) this.search('');
      this.reset();
    });
    this._resetBtn.addEventListener('click', () => this.reset());
    this._hottestBtn.addEventListener('click', () => this.focusHottest());
    this._colourBtn.addEventListener('click', () => this.setColour(this._colour === 'kind' ? 'package' : 'kind'));
    this._orientBtn.addEventListener('click', () => {
      this.setOrientation(this._orientation === 'flame' ? 'icicle' : 'flame');
    });
    this._canvas.addEventListener('mousemove', e => this._onHover(e));
    this._canvas.addEventListener('mouseleave', () => this._hideHover());
    this._canvas.addEventListener('click', e => {
      const r = this._canvas.getBoundingClientRect();
      const i = this.frameAt(e.clientX - r.left, e.clientY - r.top);
      if (i >= 0) { this.zoomTo(i); this._onHover(e); }
    });
    this._crumbs.addEventListener('click', e => {
      const b = e.target.closest('button');
      if (b && b.dataset.node) this.zoomTo(+b.dataset.node);
    });
    // A graph created inside a hidden tab has width 0; the observer fires when it is shown.
    this._lastWidth = -1;
    this._onWindowResize = () => this._scheduleDraw();
    if (typeof ResizeObserver === 'function') {
      this._resizeObserver = new ResizeObserver(() => {
        const w = this._wrap.clientWidth;
        if (w !== this._lastWidth || this._needsDraw) this._scheduleDraw();
      });
      this._resizeObserver.observe(this._wrap);
    }
    window.addEventListener('resize', this._onWindowResize);
  }

  _scheduleDraw() {
    if (this._rafId) return;
    this._rafId = requestAnimationFrame(() => { this._rafId = 0; this._draw(); });
  }

  _notify() {
    if (typeof this.options.onStateChange === 'function') {
      this.options.onStateChange({zoomPath: this.zoomPath(), search: this._searchText, orientation: this._orientation,
        colour: this._colour});
    }
  }

  _buildTable() {
    this._tableWrap.replaceChildren();
    this._table = null;
    this._tableWrap.hidden = !this.options.showTable || this._model.n === 0;
    if (this._tableWrap.hidden) return;
    const m = this._model;
    this._table = renderTopTable(this._tableWrap, fgTopRows(m), {
      unit: m.unit, rootTotal: m.rootTotal, diff: m.diff, maxRows: this.options.tableRows, sort: m.diff ? 'dself' : 'self',
      swatch: r => this._swatch(r),
      onSelect: name => {
        this.search('/^' + name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') + '$/');
        this._table.setSelected(name);
      },
    });
  }

  _compile(text) {
    if (!text) return null;
    const slashed = /^\/(.+)\/([a-z]*)$/.exec(text);
    let re = null;
    try {
      re = slashed ? new RegExp(slashed[1], slashed[2].replace(/[gyi]/g, '') + 'i')
        : new RegExp(text, 'i');
    } catch (err) {
      if (slashed) return {invalid: true};
    }
    if (slashed) return {test: s => re.test(s)};
    const lower = text.toLowerCase();
    return {test: s => s.toLowerCase().includes(lower) || (re !== null && re.test(s))};
  }

  _applySearch(text, notify) {
    const m = this._model;
    this._searchText = text;
    const matcher = this._compile(text);
    this._input.classList.toggle('fg-invalid', !!(matcher && matcher.invalid));
    this._input.setAttribute('aria-invalid', String(!!(matcher && matcher.invalid)));
    let weight = 0, frames = 0;
    if (!matcher || matcher.invalid || m.n === 0) {
      this._matched = null;
    } else {
      const byName = new Int8Array(m.names.length).fill(-1);
      const matched = new Uint8Array(m.n);
      for (let i = 1; i < m.n; i++) {
        const nm = m.name[i];
        if (byName[nm] < 0) byName[nm] = matcher.test(String(m.names[nm])) ? 1 : 0;
        if (byName[nm]) { matched[i] = 1; frames++; }
      }
      // Count each sample once: a match's subtree is already inside its total.
      for (let i = 1; i < m.n;) {
        if (matched[i]) { weight += m.total[i]; i = m.end[i]; } else i++;
      }
      this._matched = frames ? matched : null;
    }
    const share = m.rootTotal > 0 ? weight / m.rootTotal : 0;
    const el = this._share;
    if (!text) el.textContent = '';
    else if (matcher && matcher.invalid) el.textContent = 'invalid regular expression';
    else el.textContent = 'matched: ' + fgShare(share) + ' (' + formatValue(weight, m.unit) + ')';
    el.dataset.share = String(share);
    el.dataset.weight = String(weight);
    el.dataset.frames = String(frames);
    if (this._table && (!text || !text.startsWith('/^'))) this._table.setSelected(null);
    if (notify) this._notify();
    return {share, weight, frames};
  }

  _renderCrumbs() {
    const m = this._model;
    const path = [];
    if (m.n === 0) { this._crumbs.replaceChildren(); this._resetBtn.disabled = true; return; }
    for (let a = this._zoom; a >= 0; a = m.parent[a]) path.push(a);
    path.reverse();
    const frag = document.createDocumentFragment();
    path.forEach((node, k) => {
      if (k > 0) frag.appendChild(fgEl('span', 'fg-crumb-sep', '\u203a'));
      const b = fgEl('button', 'fg-crumb', String(m.names[m.name[node]]));
      b.type = 'button';
      b.dataset.node = String(node);
      b.title = String(m.names[m.name[node]]);
      if (node === this._zoom) b.setAttribute('aria-current', 'true');
      frag.appendChild(b);
    });
    this._crumbs.replaceChildren(frag);
    this._crumbs.scrollLeft = this._crumbs.scrollWidth;
    this._resetBtn.disabled = this._zoom === 0;
  }

  _draw() {
    const m = this._model;
    if (!m || m.n === 0 || m.w[0] <= 0) return;
    const t0 = performance.now();
    const cssW = this._wrap.clientWidth;
    this._lastWidth = cssW;
    if (cssW <= 0) { this._needsDraw = true; return; }
    this._needsDraw = false;
    this._hideHover();

    // A stack too deep for the canvas size limits (after giving up device-pixel resolution) shows a window of
    // depths that follows the zoom: a few ancestors of the zoomed frame, then as deep as fits.
    const z = this._zoom, zx = m.x[z], zd = m.depth[z];
    const rowH = this.options.rowHeight, allRows = m.maxDepth + 1;
    const maxCssH = Math.min(FG_MAX_CANVAS_SIDE, FG_MAX_CANVAS_PIXELS / cssW);
    const rows = Math.max(1, Math.min(allRows, Math.floor(maxCssH / rowH)));
    const base = rows < allRows ? Math.max(0, Math.min(zd - FG_DEPTH_CONTEXT, allRows - rows)) : 0;
    const lastDepth = base + rows;
    this._rowBase = base;
    this._rowCount = rows;
    const cssH = rows * rowH;
    const dpr = Math.max(1, Math.min(window.devicePixelRatio || 1, FG_MAX_CANVAS_SIDE / cssH,
      Math.sqrt(FG_MAX_CANVAS_PIXELS / (cssW * cssH))));
    const canvas = this._canvas, ctx = this._ctx;
    const pw = Math.round(cssW * dpr), ph = Math.round(cssH * dpr);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    canvas.style.height = cssH + 'px';
    const sx = pw / cssW, sy = ph / cssH;

    // Visible frames: the zoomed node's ancestors, then its subtree in pre-order, where a frame narrower than
    // minFramePx is skipped together with its whole subtree (its descendants cannot be wider).
    const scale = cssW / m.w[z];
    const minPx = this.options.minFramePx;
    const idx = this._idx, bk = this._bk, bucket = m.bucket, matched = this._matched;
    const X = m.x, W = m.w, END = m.end, DEPTH = m.depth;
    let c = 0, skipped = 0, clipped = 0;
    for (let a = m.parent[z]; a >= 0 && DEPTH[a] >= base; a = m.parent[a]) {
      idx[c] = a;
      bk[c++] = matched !== null && matched[a] ? FG_HIGHLIGHT : bucket[a];
    }
    const end = END[z];
    for (let i = z; i < end;) {
      if (DEPTH[i] >= lastDepth) { clipped += END[i] - i; i = END[i]; continue; }
      if (W[i] * scale < minPx) { skipped += END[i] - i; i = END[i]; continue; }
      idx[c] = i;
      bk[c++] = matched !== null && matched[i] ? FG_HIGHLIGHT : bucket[i];
      i++;
    }

    // Rectangles are written as pixels, one row strip at a time, and put onto the canvas: tens of thousands of
    // fillRect calls measured about 20x slower in Chromium's software canvas. Frames are bucketed by depth first.
    const rowStart = new Int32Array(rows + 1);
    for (let k = 0; k < c; k++) rowStart[DEPTH[idx[k]] - base + 1]++;
    for (let r = 0; r < rows; r++) rowStart[r + 1] += rowStart[r];
    const fill = rowStart.slice(0, rows);
    const byRow = this._sorted;
    for (let k = 0; k < c; k++) byRow[fill[DEPTH[idx[k]] - base]++] = k;

    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, pw, ph);
    const lineRows = Math.max(1, Math.round((rowH - 1) * sy));
    if (!this._strip || this._strip.width !== pw || this._strip.height !== lineRows) {
      this._strip = ctx.createImageData(pw, lineRows);
      this._stripBuf = new Uint32Array(this._strip.data.buffer);
    }
    const buf = this._stripBuf;
    const styles = this._styles, packed = styles.packed;
    const icicle = this._orientation === 'icicle';
    const gapPx = Math.max(1, Math.round(sx));
    for (let row = 0; row < rows; row++) {
      const from = rowStart[row], to = rowStart[row + 1];
      if (from === to) continue;
      const d = row + base;
      buf.fill(0xffffffff, 0, pw);
      let hatch = null;
      for (let kk = from; kk < to; kk++) {
        const k = byRow[kk], i = idx[k];
        let x0, x1;
        if (d < zd) {
          x0 = 0;
          x1 = pw - gapPx;
        } else {
          const x = (X[i] - zx) * scale, w = W[i] * scale;
          x0 = Math.round(x * sx);
          x1 = Math.round((w >= 3 ? x + w - 1 : x + w) * sx);
          if (x1 <= x0) x1 = x0 + 1;
          if (x1 > pw) x1 = pw;
        }
        if (bk[k] === FG_OTHER) (hatch || (hatch = [])).push(x0, x1);
        // Ancestors of the zoomed frame stay visible for context, washed out.
        else buf.fill(d < zd ? styles.dimmed[bk[k]] : packed[bk[k]], x0, x1);
      }
      for (let r = 1; r < lineRows; r++) buf.copyWithin(r * pw, 0, pw);
      const top = Math.round((icicle ? row : rows - 1 - row) * rowH * sy);
      if (hatch !== null) {
        for (let h = 0; h < hatch.length; h += 2) {
          for (let r = 0; r < lineRows; r++) {
            const o = r * pw, phase = (top + r) % 6;
            for (let x = hatch[h]; x < hatch[h + 1]; x++) buf[o + x] = (x + phase) % 6 < 2 ? styles.hatchDark : styles.hatchLight;
          }
        }
      }
      ctx.putImageData(this._strip, 0, top);
    }

    // Labels, only where they fit a few characters.
    ctx.setTransform(sx, 0, 0, sy, 0, 0);
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.textBaseline = 'middle';
    const names = m.names, NAME = m.name, lw = this._labelWidth;
    const ellipsis = ctx.measureText('\u2026').width;
    let textStyle = '';
    for (let k = 0; k < c; k++) {
      const i = idx[k], d = DEPTH[i];
      const w = d < zd ? cssW : W[i] * scale;
      if (w < FG_TEXT_MIN_PX) continue;
      const room = w - 7;
      const nm = NAME[i];
      const full = String(names[nm]);
      if (lw[nm] < 0) lw[nm] = ctx.measureText(full).width;
      let label = full;
      if (lw[nm] > room) {
        const chars = Math.floor(full.length * (room - ellipsis) / lw[nm]);
        if (chars < 2) continue;
        label = full.slice(0, chars) + '\u2026';
      }
      const col = d < zd ? '#555' : styles.text[bk[k]];
      if (col !== textStyle) { ctx.fillStyle = col; textStyle = col; }
      const x = d < zd ? 0 : (X[i] - zx) * scale;
      const y = (icicle ? d - base : rows - 1 - d + base) * rowH;
      ctx.fillText(label, x + 3, y + (rowH - 1) / 2 + 0.5, room);
    }

    const ms = performance.now() - t0;
    this._lastDrawMs = ms;
    this._stats = {drawn: c, skipped, clipped, ms};
    this._depthNote.hidden = rows === allRows;
    if (rows < allRows) {
      this._depthNote.textContent = 'Stack depths ' + base + '\u2013' + (lastDepth - 1) + ' of ' + m.maxDepth
        + ' shown (too deep for one canvas); zoom into a frame to move the window.';
    }
    canvas.dataset.drawMs = ms.toFixed(2);
    canvas.dataset.drawn = String(c);
    canvas.dataset.skipped = String(skipped);
    canvas.dataset.zoom = String(z);
    canvas.dataset.orientation = this._orientation;
  }

  _hideHover() {
    this._tip.hidden = true;
    this._hoverBox.hidden = true;
    this._hover = -1;
  }

  _onHover(e) {
    const r = this._canvas.getBoundingClientRect();
    const mx = e.clientX - r.left, my = e.clientY - r.top;
    const i = this.frameAt(mx, my);
    if (i < 0) { this._hideHover(); this._canvas.style.cursor = ''; return; }
    this._canvas.style.cursor = 'pointer';
    if (i !== this._hover) {
      this._hover = i;
      this._fillTooltip(i);
      const fr = this.frameRect(i);
      const hb = this._hoverBox;
      hb.style.left = fr.x + 'px';
      hb.style.top = fr.y + 'px';
      hb.style.width = Math.max(1, fr.w - (fr.w >= 3 ? 1 : 0)) + 'px';
      hb.style.height = (fr.h - 1) + 'px';
      hb.hidden = false;
    }
    const tip = this._tip;
    tip.hidden = false;
    const ww = this._wrap.clientWidth, wh = this._wrap.clientHeight;
    const tw = tip.offsetWidth, th = tip.offsetHeight;
    let left = mx + 14, top = my + 18;
    if (left + tw > ww) left = Math.max(0, mx - tw - 10);
    if (top + th > wh && my - th - 8 >= 0) top = my - th - 8;
    tip.style.left = left + 'px';
    tip.style.top = top + 'px';
  }

  _fillTooltip(i) {
    const m = this._model, unit = m.unit, root = m.rootTotal || 1;
    const info = this.frameInfo(i);
    const tip = this._tip;
    const rows = [];
    const line = (label, value, cls) => {
      const dt = fgEl('dt', null, label);
      const dd = fgEl('dd', cls || null, value);
      rows.push(dt, dd);
    };
    const both = v => fgShare(v / root) + '  \u00b7  ' + formatValue(v, unit);
    const signed = v => fgSigned(fgShare(v / root), v) + '  \u00b7  ' + fgSigned(formatValue(v, unit), v);
    line('Total', both(info.total));
    line('Self', both(info.self));
    if (m.diff) {
      line('Baseline total', both(info.baseTotal));
      line('Baseline self', both(info.baseSelf));
      const dt = info.total - info.baseTotal, ds = info.self - info.baseSelf;
      line('\u0394 total', signed(dt), dt > 0 ? 'fg-grown' : dt < 0 ? 'fg-shrunk' : null);
      line('\u0394 self', signed(ds), ds > 0 ? 'fg-grown' : ds < 0 ? 'fg-shrunk' : null);
    }
    const dl = fgEl('dl', 'fg-tt-values');
    dl.append(...rows);
    const parts = [fgEl('div', 'fg-tt-name', info.name), fgEl('div', 'fg-tt-kind', info.kind + ' \u00b7 depth ' + info.depth), dl];
    if (info.pruned) parts.push(fgEl('div', 'fg-tt-note', 'Pruned remainder: frames too narrow to keep, merged into one.'));
    parts.push(fgEl('div', 'fg-tt-hint', i === this._zoom ? '' : 'Click to zoom'));
    tip.replaceChildren(...parts);
  }
}
