// Overview: every process grouped by service with its status, labels, JVM, uptime and agent health, a row of
// sparklines (CPU, allocation, lock blocking, involuntary context switches, heap after GC, threads, open fds)
// and badges of the checks' verdicts. Refreshes itself every few seconds without reloading the page.

import {api, ApiError, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, byService, procName, fmtBytes, fmtNum, fmtPct, fmtNanos, fmtDuration, fmtTime} from '../util.js';
import {sparkline} from '../charts.js';
import {connection} from '../app.js';

const REFRESH_MS = 5000;
const CHECKS_EVERY = 3;          // checks are recomputed on every third refresh
const WINDOW_MS = 5 * 60_000;

/** The sparkline columns: label, metrics tried in order, and how to show a value. */
const METRICS = [
  {key: 'cpu', label: 'CPU', metrics: ['cpu.jvm'], fmt: v => fmtNum(v, 1) + ' %', color: '#2f6fdb'},
  {key: 'alloc', label: 'Alloc', metrics: ['alloc.rate'], fmt: v => fmtNum(v / 1048576, 1) + ' MB/s', sum: true, color: '#2b8a3e'},
  {key: 'lock', label: 'Lock blocked', metrics: ['lock.blocked'], fmt: v => fmtNum(v / 1e6, 0) + ' ms/s', sum: true, color: '#c92a2a'},
  {key: 'ctx', label: 'Invol. ctx sw', metrics: ['proc.ctxInvoluntary.rate'], fmt: v => fmtNum(v, 0) + ' /s', color: '#862e9c'},
  {key: 'heap', label: 'Heap after GC', metrics: ['heap.afterGc'], fmt: v => fmtBytes(v), color: '#e67700'},
  {key: 'threads', label: 'Threads', metrics: ['proc.threads', 'threads.active'], fmt: v => fmtNum(v, 0), color: '#0b7285'},
  {key: 'fds', label: 'Open fds', metrics: ['proc.fdTotal'], fmt: v => fmtNum(v, 0), color: '#5c940d'},
];
const ALL_METRICS = [...new Set(METRICS.flatMap(m => m.metrics))];

function jvmVersion(p) {
  const v = (p.jvm && p.jvm.version) || '';
  const m = /\((\d[^\s)]*)\)/.exec(v) || /(\d+\.\d+\.\d+[^\s)]*)/.exec(v);
  // "17.0.15+6-Debian-1deb12u1" -> "17.0.15+6"; the whole string is in the title.
  return m ? m[1].replace(/-.*$/, '') : (v ? v.slice(0, 24) : '?');
}

function uptime(p, now) {
  // A process that is not live was up until its last data (an uploaded file's JVM, long before its upload).
  const end = p.status === 'live' ? now : (p.data && p.data.toMillis) || p.lastSeenMillis;
  return p.startMillis > 0 ? fmtDuration(end - p.startMillis) : '\u2013';
}

function badgeClass(verdict) {
  return 'badge badge-' + String(verdict || '').toLowerCase().replace('_', '-');
}

export async function mount(root, ctx) {
  const params = ctx.params;
  const serviceFilter = params.get('service');
  let timer = 0, tick = 0, stopped = false;
  const rows = new Map();      // process id -> {tr, sparks: {key: {chart, value}}, checks}
  const oldSeries = new Map(); // process id -> {seq, series} for processes that no longer change
  let checks = null;           // last /checks answer
  let checksError = null;

  const status = el('div.overview-status', {dataset: {role: 'overview-status'}});
  const body = el('div.overview-body', loadingBox('Loading processes\u2026'));
  root.append(
    el('div.view-head', el('h1', 'Overview'), status),
    body);

  async function refresh() {
    if (stopped) return;
    let processes;
    try {
      processes = await ctx.processes(true);
    } catch (e) {
      if (!ctx.alive()) return;
      if (rows.size === 0) { clear(body, errorBox(e, 'Process list')); ctx.status('error'); }
      status.textContent = 'Not refreshed: ' + (e.detail || e.message) + ' \u2014 retrying every ' + REFRESH_MS / 1000 + ' s';
      status.classList.add('stale');
      schedule();
      return;
    }
    if (!ctx.alive()) return;
    const list = serviceFilter ? processes.filter(p => p.service === serviceFilter) : processes;
    if (serviceFilter && list.length === 0) {
      clear(body, errorBox(new ApiError(404, 'unknown service', 'no process of service "' + serviceFilter + '"'),
        'Overview'), el('p', el('a', {href: '#/overview'}, 'Show every service')));
      ctx.status('error');
      schedule();
      return;
    }
    if (tick % CHECKS_EVERY === 0) {
      try {
        checks = await api('checks', serviceFilter ? {service: serviceFilter} : {});
        checksError = null;
      } catch (e) {
        checksError = e;
      }
    }
    tick++;
    if (!ctx.alive()) return;
    render(list);
    const series = await loadSeries(list);
    if (!ctx.alive()) return;
    fillSparks(list, series);
    const now = Date.now();
    status.classList.remove('stale');
    status.textContent = list.length + (list.length === 1 ? ' process' : ' processes') + ' in '
      + byService(list).size + (byService(list).size === 1 ? ' service' : ' services') + ' \u00b7 refreshed '
      + fmtTime(now) + ' \u00b7 every ' + REFRESH_MS / 1000 + ' s'
      + (checksError ? ' \u00b7 checks failed: ' + checksError.message : '');
    root.dataset.refreshes = String(tick);
    ctx.status('ready');
    schedule();
  }

  function schedule() {
    if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
  }

  /** Series of the last 5 minutes of each process's data: live ones in one request per service. */
  async function loadSeries(list) {
    const out = new Map();
    const jobs = [];
    for (const [service, procs] of byService(list)) {
      const live = procs.filter(p => p.status === 'live');
      if (live.length) {
        jobs.push(fetchSeries({process: live.map(p => p.id), from: '-5m'}).then(s => s.forEach(x => push(out, x))));
      }
      for (const p of procs.filter(q => q.status !== 'live')) {
        const cached = oldSeries.get(p.id);
        const seq = p.data ? p.data.lastSeq : null;
        if (cached && cached.seq === seq) { cached.series.forEach(x => push(out, x)); continue; }
        const to = p.data && p.data.toMillis ? p.data.toMillis : p.lastSeenMillis;
        jobs.push(fetchSeries({process: [p.id], from: to - WINDOW_MS, to}).then(s => {
          oldSeries.set(p.id, {seq, series: s});
          s.forEach(x => push(out, x));
        }));
      }
    }
    await Promise.all(jobs);
    return out;
  }

  function push(out, s) {
    if (!out.has(s.process)) out.set(s.process, new Map());
    out.get(s.process).set(s.metric, s);
  }

  async function fetchSeries(q) {
    try {
      return (await api('series', Object.assign({metric: ALL_METRICS.join(',')}, q))).series;
    } catch (e) {
      // 404: none of the metrics is recorded there (e.g. a recording without them): empty sparklines.
      if (e instanceof ApiError && e.status === 404) return [];
      if (e instanceof ApiError && e.unreachable) connection(false, e);
      return [];
    }
  }

  function render(list) {
    const ids = list.map(p => p.id).join('|');
    if (body.dataset.ids !== ids) build(list);
    body.dataset.ids = ids;
    const now = Date.now();
    for (const p of list) updateRow(p, now);
    for (const sec of body.querySelectorAll('section[data-service]')) updateServiceBadges(sec);
  }

  function build(list) {
    for (const r of rows.values()) for (const s of Object.values(r.sparks)) s.chart.destroy();
    rows.clear();
    clear(body);
    if (list.length === 0) {
      body.appendChild(infoBox('No processes yet. Start a JVM with ',
        el('code', '-javaagent:mpagent.jar=collector=' + location.origin + ',service=NAME'),
        ', or ', el('a', {href: '#/upload'}, 'upload .jfr files'), '.'));
      return;
    }
    for (const [service, procs] of byService(list)) {
      const head = el('tr', el('th', 'Process'), el('th', 'Agent'),
        METRICS.map(m => el('th.spark-col', m.label)), el('th', 'Checks'));
      const tbody = el('tbody');
      const svcBadges = el('span.svc-badges', {dataset: {role: 'service-checks'}});
      const sec = el('section.card.service', {dataset: {service}},
        el('div.card-head',
          el('h2', service),
          el('span.muted.svc-count'),
          svcBadges,
          el('span.spacer'),
          el('a.btn', {href: ctx.href('flame', {service, type: 'cpu'})}, 'Flame graph (merged)'),
          el('a.btn', {href: ctx.href('checks', {service})}, 'Checks'),
          el('a.btn', {href: ctx.href('locks', {service})}, 'Locks')),
        el('div.table-scroll', el('table.procs', {dataset: {role: 'processes'}}, el('thead', head), tbody)));
      body.appendChild(sec);
      for (const p of procs) {
        const sparks = {};
        const cells = METRICS.map(m => {
          const box = el('div.spark');
          const value = el('div.spark-value', {dataset: {metric: m.key}}, '\u2013');
          const td = el('td.spark-col', box, value);
          sparks[m.key] = {box, value, chart: null};
          return td;
        });
        const name = el('div.proc-name');
        const meta = el('div.proc-meta');
        const agent = el('td.agent');
        const badges = el('td.checks-cell');
        const tr = el('tr', {dataset: {process: p.id, role: 'process-row'}},
          el('td.proc', name, meta), agent, cells, badges);
        tbody.appendChild(tr);
        rows.set(p.id, {tr, sparks, name, meta, agent, badges, service});
      }
    }
    // Charts need their cells laid out first.
    for (const r of rows.values()) {
      for (const m of METRICS) r.sparks[m.key].chart = sparkline(r.sparks[m.key].box, {width: 92, height: 26, color: m.color,
        fill: m.color + '22'});
    }
  }

  function updateRow(p, now) {
    const r = rows.get(p.id);
    if (!r) return;
    r.tr.dataset.status = p.status;
    const labels = Object.entries(p.labels || {}).map(([k, v]) => el('span.label', k + '=' + v));
    clear(r.name,
      el('span.status.status-' + p.status, {dataset: {role: 'status'}}, p.status), ' ',
      el('a', {href: ctx.href('flame', {process: p.id, type: 'cpu'}), title: p.id}, procName(p)));
    clear(r.meta,
      el('div', labels),
      el('div.muted', {title: (p.jvm && p.jvm.version) || ''}, 'JVM ' + jvmVersion(p) + ' \u00b7 '
        + (p.status === 'live' ? 'up ' : 'ran ') + uptime(p, now) + (p.profile ? ' \u00b7 ' + p.profile : ''),
        ' \u00b7 ', el('a', {href: ctx.href('rules', {process: p.id})}, 'JMC')));
    const h = p.health || {};
    const drops = +h.drops || 0, rejected = +h.rejected || 0, retries = +h.retries || 0;
    const bad = drops > 0 || rejected > 0 || (h.lastError && h.lastError.length > 0);
    r.agent.className = 'agent' + (bad ? ' agent-bad' : '');
    if (p.kind !== 'agent') {
      clear(r.agent, el('span.muted', p.status === 'uploaded' ? 'uploaded file' : p.kind));
    } else {
      clear(r.agent,
        el('div', (h.uploads || 0) + ' uploads, ' + fmtBytes(+h.shipped || 0)),
        agentCost(h),
        el('div', {dataset: {role: 'agent-drops'}}, 'drops ' + drops + (drops ? ' (' + fmtBytes(+h.droppedBytes || 0) + ')' : '')
          + ' \u00b7 retries ' + retries + (rejected ? ' \u00b7 rejected ' + rejected : '')),
        +h.spoolBytes ? el('div.muted', 'spool ' + fmtBytes(+h.spoolBytes)) : null,
        h.lastError ? el('div.err-text', {title: h.lastError}, 'last error: ' + h.lastError.slice(0, 60)) : null,
        el('div.muted', 'last upload ' + fmtDuration(now - p.lastSeenMillis) + ' ago'));
    }
    // Check badges: the problems first, then a count of the fine ones.
    const mine = checks ? checks.results.filter(c => c.subject === p.id) : [];
    const problems = mine.filter(c => c.verdict === 'WARN' || c.verdict === 'FAIL')
      .sort((a, b) => b.score - a.score);
    const fine = mine.filter(c => c.verdict === 'OK').length;
    clear(r.badges,
      problems.map(c => el('a', {class: badgeClass(c.verdict), href: ctx.href('checks', {process: p.id, check: c.check}),
        title: c.summary, dataset: {check: c.check, verdict: c.verdict}}, c.check)),
      fine ? el('a.badge.badge-ok', {href: ctx.href('checks', {process: p.id}), title: fine + ' checks OK'}, fine + ' ok') : null,
      !checks ? el('span.muted', '\u2026') : null);
  }

  // Below this the process is near idle (2% of one core), and a share of its CPU is a share of almost nothing.
  const NEAR_IDLE_MS_PER_S = 20;

  // The agent's own figure, measured in the process each cut (its threads' and JFR's CPU over the process's).
  function agentCost(h) {
    const share = h.cpuShare === undefined ? -1 : +h.cpuShare;
    if (!(share >= 0)) return null;
    const total = +h.cpuShareTotal;
    const processMs = h.processCpuMsPerSecond === undefined ? -1 : +h.processCpuMsPerSecond;
    const idle = processMs >= 0 && processMs < NEAR_IDLE_MS_PER_S;
    return el('div', {dataset: {role: 'agent-cost', share: String(share), processMs: String(processMs)},
      title: 'CPU of mpagent\'s and JFR\'s threads over this process\'s CPU in the last cut interval'
        + (total >= 0 ? '; ' + fmtPct(total) + ' since the agent started' : '')
        + '; agent threads ' + fmtNanos((+h.agentCpuMs || 0) * 1e6) + ', JFR threads ' + fmtNanos((+h.jfrCpuMs || 0) * 1e6)
        + ' so far; ships ' + fmtBytes(+h.shippedPerSecond || 0) + '/s'
        + (processMs >= 0 ? '; the process used ' + fmtNum(processMs, 0) + ' ms of CPU per second' : '') + '. Events written in the application\'s own'
        + ' threads are not in it: bench/agent-overhead.sh measures that per request.'},
      'mpagent: ' + fmtPct(share) + ' of this process\'s CPU'
        + (idle ? ' (' + fmtNum(share * processMs, 1) + ' ms/s; the process is near idle)' : ''));
  }

  function updateServiceBadges(sec) {
    const service = sec.dataset.service;
    const procs = [...rows.values()].filter(r => r.service === service);
    const counts = {};
    for (const r of procs) counts[r.tr.dataset.status] = (counts[r.tr.dataset.status] || 0) + 1;
    sec.querySelector('.svc-count').textContent = Object.entries(counts).map(([k, v]) => v + ' ' + k).join(', ');
    const mine = checks ? checks.results.filter(c => c.subject === service && c.verdict !== 'NOT_APPLICABLE') : [];
    clear(sec.querySelector('.svc-badges'), mine.map(c => el('a', {class: badgeClass(c.verdict),
      href: ctx.href('checks', {service, check: c.check}), title: c.summary, dataset: {check: c.check, verdict: c.verdict}},
      c.check + ': ' + c.verdict.toLowerCase())));
  }

  function fillSparks(list, series) {
    for (const p of list) {
      const r = rows.get(p.id);
      if (!r) continue;
      const mine = series.get(p.id) || new Map();
      for (const m of METRICS) {
        const s = m.metrics.map(name => mine.get(name)).find(x => x && x.points && x.points.length);
        const spark = r.sparks[m.key];
        if (!s) {
          spark.chart.setData([]);
          spark.value.textContent = '\u2013';
          spark.value.title = 'not recorded';
          continue;
        }
        spark.chart.setData(s.points);
        const last = s.points[s.points.length - 1];
        const end = p.data && p.data.toMillis ? p.data.toMillis : last[0];
        // A per-second sum has no point for a second without events: an old last point means zero now.
        const value = m.sum && end - last[0] > 4000 ? 0 : last[1];
        spark.value.textContent = m.fmt(value);
        spark.value.dataset.value = String(value);
        spark.value.title = s.metric + ' at ' + fmtTime(last[0]);
      }
    }
  }

  await refresh();
  return {
    unmount() {
      stopped = true;
      clearTimeout(timer);
      for (const r of rows.values()) for (const s of Object.values(r.sparks)) if (s.chart) s.chart.destroy();
    },
  };
}
