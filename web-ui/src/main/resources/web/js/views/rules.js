// JMC findings: JDK Mission Control's automated-analysis rules on one process's chunks, computed on demand by
// the collector (it takes seconds). URL: process, from, to; a link with a process runs the rules at once.

import {api, processesOr, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, byService, procName, fmtBytes, fmtNum} from '../util.js';
import {rangePicker} from '../selection.js';

const SEVERITY_ORDER = {WARNING: 0, INFO: 1, OK: 2, NA: 3, IGNORE: 4};

export async function mount(root, ctx) {
  const p = ctx.params;
  let process = p.get('process') || '';
  let from = p.get('from'), to = p.get('to');
  let showAll = p.get('all') === 'true';
  const controls = el('div.controls');
  const body = el('div', {dataset: {role: 'rules'}});
  root.append(el('div.view-head', el('h1', 'JMC rules'), el('span.muted',
    'JDK Mission Control\u2019s automated analysis of one process, computed when asked (at most the newest 64 MB).')),
  controls, body);
  const processes = await processesOr(ctx, body);
  if (!processes) {
    return {unmount() {}};
  }

  function renderControls() {
    const s = el('select', {dataset: {role: 'rules-process'}, 'aria-label': 'Process'},
      el('option', {value: ''}, '\u2014 choose a process \u2014'));
    for (const [service, list] of byService(processes)) {
      s.appendChild(el('optgroup', {label: service}, list.map(x => el('option', {value: x.id, selected: x.id === process},
        procName(x) + ' (' + x.status + ')'))));
    }
    if (process && !processes.some(x => x.id === process)) s.appendChild(el('option', {value: process, selected: true}, process));
    s.addEventListener('change', () => { process = s.value; ctx.set({process: process || null}); run(); });
    const runBtn = el('button.btn.primary', {type: 'button', dataset: {role: 'run-rules'}, disabled: !process, onclick: () => run()},
      'Run the rules');
    const all = el('input', {type: 'checkbox', checked: showAll});
    all.addEventListener('change', () => { showAll = all.checked; ctx.set({all: showAll ? 'true' : null}); if (last) show(last); });
    clear(controls, el('label.ctl', 'Process ', s),
      rangePicker(from, to, (f, t) => { from = f; to = t; ctx.set({from, to}); renderControls(); }),
      runBtn, el('label.ctl', all, ' also rules with nothing to report'));
  }

  let seq = 0, last = null;
  async function run() {
    renderControls();
    if (!process) {
      clear(body, infoBox('Choose a process; its findings are computed on demand.'));
      ctx.status('ready');
      return;
    }
    const my = ++seq;
    ctx.status('loading');
    clear(body, loadingBox('Running JMC\u2019s rules on ' + process + ' (this takes a few seconds)\u2026'));
    let r;
    try {
      r = await api('rules', {process, from, to}, {timeoutMs: 180000});
    } catch (e) {
      if (my !== seq) return;
      clear(body, errorBox(e, 'JMC rules'));
      ctx.status('error');
      return;
    }
    if (my !== seq || !ctx.alive()) return;
    last = r;
    show(r);
    ctx.status('ready');
  }

  function show(r) {
    const list = r.findings.slice()
      .filter(f => showAll || f.severity === 'WARNING' || f.severity === 'INFO')
      .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9) || b.score - a.score);
    const counts = {};
    for (const f of r.findings) counts[f.severity] = (counts[f.severity] || 0) + 1;
    clear(body,
      el('p.muted', {dataset: {role: 'rules-summary'}}, r.findings.length + ' rules on ' + r.uploads + ' uploads ('
        + fmtBytes(r.bytes) + ') in ' + fmtNum(r.millis / 1000, 1) + ' s' + (r.partial ? ', newest data only (partial)' : '') + ': '
        + Object.entries(counts).map(([k, v]) => v + ' ' + k).join(', ')),
      list.length ? el('table.grid', {dataset: {role: 'findings'}},
        el('thead', el('tr', el('th.left', 'Severity'), el('th', 'Score'), el('th.left', 'Rule'), el('th.left', 'Finding'))),
        el('tbody', list.map(f => el('tr', {dataset: {rule: f.id, severity: f.severity}},
          el('td.left', el('span.severity.sev-' + f.severity, f.severity)),
          el('td', fmtNum(f.score, 1)),
          el('td.left', f.name),
          el('td.left', {style: {whiteSpace: 'normal'}}, f.summary || '',
            (f.explanation || f.solution) ? el('details', el('summary.small', 'Explanation and solution'),
              f.explanation ? el('p.small', f.explanation) : null, f.solution ? el('p.small', el('strong', 'Solution: '), f.solution) : null)
              : null)))))
        : infoBox('No rule found anything to report.'));
  }

  await run();
  return {unmount() { seq++; }};
}
