// Locks: contended monitors and parked-on classes of a selection, with blocked time, count, longest wait and
// share per process, and the stacks that blocked on each. URL: process, service, from, to, wait, open (a lock).

import {api, processesOr, errorBox, loadingBox, infoBox} from '../api.js';
import {el, clear, procName, fmtNanos, fmtPct, fmtNum} from '../util.js';
import {selectionParams, processPicker, rangePicker} from '../selection.js';

export async function mount(root, ctx) {
  const p = ctx.params;
  const sel = selectionParams(p);
  let wait = p.get('wait') === 'true';
  const controls = el('div.controls');
  const body = el('div', {dataset: {role: 'locks'}});
  root.append(el('div.view-head', el('h1', 'Locks'), el('span.muted',
    'Time threads spent blocked entering monitors (synchronized) or parked on java.util.concurrent locks.')), controls, body);
  const processes = await processesOr(ctx, body);
  if (!processes) {
    return {unmount() {}};
  }
  const byId = new Map(processes.map(x => [x.id, x]));

  function renderControls() {
    const waitBox = el('input', {type: 'checkbox', checked: wait, dataset: {role: 'wait'}});
    waitBox.addEventListener('change', () => { wait = waitBox.checked; ctx.set({wait: wait ? 'true' : null}); load(); });
    clear(controls,
      processPicker(processes, sel, s => { sel.process = s.process; sel.service = s.service; ctx.set(s); load(); }),
      rangePicker(sel.from, sel.to, (from, to) => { sel.from = from; sel.to = to; ctx.set({from, to}); renderControls(); load(); }),
      el('label.ctl', waitBox, ' include Object.wait'),
      el('span.spacer'),
      el('a.btn', {href: ctx.href('flame', {type: 'lock', process: sel.process, service: sel.service, from: sel.from, to: sel.to})},
        'Lock flame graph'));
  }

  let seq = 0;
  async function load() {
    const my = ++seq;
    ctx.status('loading');
    clear(body, loadingBox('Loading locks\u2026'));
    let r;
    try {
      r = await api('locks', {process: sel.process, service: sel.service, from: sel.from, to: sel.to, wait: wait ? 'true' : null,
        stacks: 5, limit: 30});
    } catch (e) {
      if (my !== seq) return;
      clear(body, errorBox(e, 'Locks'));
      ctx.status('error');
      return;
    }
    if (my !== seq || !ctx.alive()) return;
    if (!r.locks.length) {
      clear(body, infoBox('No contended locks in this selection (' + r.processes.length + ' processes).'));
      ctx.status('ready');
      return;
    }
    const total = r.locks.reduce((s, l) => s + l.blockedNanos, 0) || 1;
    const open = p.get('open');
    clear(body, r.locks.map((l, i) => {
      const perProc = l.perProcess.slice().sort((a, b) => b.blockedNanos - a.blockedNanos);
      const details = el('details', {open: open ? open === l.monitorClass : i === 0, dataset: {monitor: l.monitorClass}},
        el('summary', 'Per process and blocking stacks'),
        el('table.grid', el('thead', el('tr', el('th.left', 'Process'), el('th', 'Blocked'), el('th', 'Count'), el('th.left', 'Share'))),
          el('tbody', perProc.map(x => el('tr',
            el('td.left', byId.get(x.process) ? procName(byId.get(x.process)) : x.process),
            el('td', fmtNanos(x.blockedNanos)), el('td', fmtNum(x.count, 0)),
            el('td.left', el('span.share-bar', {style: {width: Math.max(1, Math.round(x.share * 160)) + 'px'}}), fmtPct(x.share)))))),
        el('h4', 'Stacks that blocked longest (leaf first)'),
        l.stacks.map(s => el('div',
          el('div.small', fmtNanos(s.blockedNanos) + ' in ' + fmtNum(s.count, 0) + ' waits'),
          el('div.stack', {dataset: {role: 'stack'}}, s.frames.join('\n')))));
      details.addEventListener('toggle', () => { if (details.open) ctx.set({open: l.monitorClass}); });
      return el('section.card.lock', {dataset: {role: 'lock', monitor: l.monitorClass}},
        el('div.card-head',
          el('span.badge.badge-not-applicable', l.kind),
          el('h3', el('code', l.monitorClass)),
          el('span.spacer'),
          el('strong', fmtNanos(l.blockedNanos)), el('span.muted', ' blocked \u00b7 ' + fmtNum(l.count, 0) + ' times \u00b7 longest '
            + fmtNanos(l.maxNanos) + ' \u00b7 ' + fmtPct(l.blockedNanos / total) + ' of all blocked time')),
        details);
    }));
    ctx.status('ready');
  }

  renderControls();
  await load();
  return {unmount() { seq++; }};
}
