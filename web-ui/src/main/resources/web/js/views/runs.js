// Runs: the load-test runs recorded in the collector (by the sample service's `bench --collector URL`, or by
// POST /api/v1/runs), side by side like the founding report's table, each linking to its flame graphs; two
// chosen runs open in the diff. URL: sel (the chosen run ids), type (of the diff).

import {api, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, fmtNum, fmtTime, fmtDuration, procName} from '../util.js';
import {typeSelect} from '../selection.js';

function num(v, d) { return v == null || v === '' ? '\u2013' : typeof v === 'number' ? fmtNum(v, d) : String(v); }

/** CPU per process: figures named cpu.<process> (percent of one core), or one cpu figure. */
function cpuText(f) {
  const parts = Object.entries(f || {}).filter(([k]) => k.startsWith('cpu.'))
    .map(([k, v]) => k.slice(4) + ' ' + (typeof v === 'number' ? fmtNum(v, 0) + '%' : v));
  if (parts.length) return parts.join(', ');
  return f && f.cpu != null ? String(f.cpu) : '\u2013';
}

export async function mount(root, ctx) {
  const p = ctx.params;
  const chosen = new Set((p.get('sel') || '').split(',').filter(Boolean));
  let type = p.get('type') || 'cpu';
  const bar = el('div.controls');
  const body = el('div', {dataset: {role: 'runs'}}, loadingBox('Loading runs\u2026'));
  root.append(el('div.view-head', el('h1', 'Runs'), el('span.muted',
    'Load-test runs: record them with ', el('code', 'bench run --collector ' + location.origin),
    ' (or bench seed-table) or POST /api/v1/runs.')), bar, body);
  let runs;
  try {
    runs = (await api('runs')).runs;
  } catch (e) {
    clear(body, errorBox(e, 'Runs'));
    ctx.status('error');
    return {unmount() {}};
  }

  function renderBar() {
    const ids = [...chosen];
    const ok = ids.length === 2;
    clear(bar,
      el('span', {dataset: {role: 'chosen'}}, ids.length ? 'Chosen: ' + ids.map(i => '#' + i).join(', ') : 'Tick two runs to compare them.'),
      typeSelect(type, t => { type = t; ctx.set({type: t === 'cpu' ? null : t}); renderBar(); }),
      ok ? el('a.btn.primary', {href: ctx.href('diff', {type, 'a.run': ids[0], 'b.run': ids[1]}), dataset: {role: 'diff-runs'}},
        'Diff #' + ids[0] + ' \u2192 #' + ids[1]) : el('button.btn', {type: 'button', disabled: true}, 'Diff two runs'));
  }

  /**
   * A run without CPU figures (bench run does not see the service's processes): the mean of each process's
   * cpu.jvm over the run's window, as the collector recorded it (percent of the whole machine).
   */
  async function cpuFromCollector(r, cell) {
    if (!r.service && !(r.processes || []).length) return;
    try {
      const res = await api('series', {metric: 'cpu.jvm', service: r.processes && r.processes.length ? null : r.service,
        process: r.processes, from: r.fromMillis, to: r.toMillis});
      const byId = new Map((await ctx.processes()).map(x => [x.id, x]));
      const parts = res.series.filter(x => x.points.length).map(x => {
        const mean = x.points.reduce((a, pt) => a + pt[1], 0) / x.points.length;
        return (byId.get(x.process) ? procName(byId.get(x.process)).replace(/ pid \d+$/, '') : x.process) + ' ' + fmtNum(mean, 0) + '%';
      });
      if (parts.length) {
        cell.textContent = parts.join(', ');
        cell.appendChild(el('div.muted.small', 'of the machine, from the collector'));
      }
    } catch (e) {
      // Not recorded there (or no longer): the cell keeps its dash.
    }
  }

  function flameHref(r, t) {
    return ctx.href('flame', {type: t, service: r.processes && r.processes.length ? null : r.service, process: r.processes,
      from: r.fromMillis, to: r.toMillis});
  }

  function render() {
    if (!runs.length) {
      clear(body, infoBox('No runs recorded yet.'));
      return;
    }
    const rows = runs.slice().reverse().map(r => {
      const f = r.figures || {};
      const cb = el('input', {type: 'checkbox', checked: chosen.has(String(r.id)), dataset: {run: String(r.id)},
        'aria-label': 'Choose run ' + r.id});
      cb.addEventListener('change', () => {
        if (cb.checked) {
          chosen.add(String(r.id));
          // Keep the two ticked last: an older pick gives way.
          while (chosen.size > 2) chosen.delete(chosen.values().next().value);
        } else chosen.delete(String(r.id));
        ctx.set({sel: [...chosen]});
        for (const b of body.querySelectorAll('input[data-run]')) b.checked = chosen.has(b.dataset.run);
        renderBar();
      });
      const processes = f.processes != null ? f.processes : (r.processes || []).length || '\u2013';
      const cpuCell = el('td.left', {dataset: {role: 'run-cpu'}}, cpuText(f));
      if (cpuCell.textContent === '\u2013') cpuFromCollector(r, cpuCell);
      return el('tr', {dataset: {run: String(r.id), role: 'run'}},
        el('td.left', cb),
        el('td.left', '#' + r.id + ' ', el('strong', r.name), el('div.muted.small', r.service || '')),
        el('td.left', (r.labels && r.labels.mode) || '\u2013'),
        el('td', num(processes, 0)),
        el('td.figure', num(f.meanMs, 2)),
        el('td.figure', num(f.p99Ms, 2)),
        el('td.figure', num(f.qps, 0)),
        cpuCell,
        el('td.left', fmtTime(r.fromMillis), el('div.muted.small', fmtDuration(r.toMillis - r.fromMillis))),
        el('td.left', el('a', {href: flameHref(r, 'cpu'), dataset: {role: 'run-flame'}}, 'cpu'), ' \u00b7 ',
          el('a', {href: flameHref(r, 'alloc')}, 'alloc'), ' \u00b7 ', el('a', {href: flameHref(r, 'lock')}, 'lock'), ' \u00b7 ',
          el('a', {href: ctx.href('checks', {service: r.service, process: r.processes, from: r.fromMillis, to: r.toMillis})}, 'checks')));
    });
    const labelsRow = runs.some(r => Object.keys(r.labels || {}).length > 1);
    clear(body, el('div.card', el('div.table-scroll', el('table.grid.runs', {dataset: {role: 'runs-table'}},
      el('thead', el('tr', el('th.left', ''), el('th.left', 'Run'), el('th.left', 'Mode'), el('th', 'Processes'),
        el('th', 'Mean ms'), el('th', 'p99 ms'), el('th', 'QPS'), el('th.left', 'CPU % per process'), el('th.left', 'Window'),
        el('th.left', 'Flame graphs'))),
      el('tbody', rows)))),
    labelsRow ? el('p.muted.small', 'Labels: ' + runs.map(r => '#' + r.id + ' ' + Object.entries(r.labels || {})
      .map(([k, v]) => k + '=' + v).join(' ')).join('; ')) : null);
  }

  renderBar();
  render();
  ctx.status('ready');
  return {unmount() {}};
}
