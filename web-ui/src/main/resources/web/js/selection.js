// Controls shared by the views that query a selection: which processes (all merged, one, or a chosen set) and
// which time range. Both read and write the URL parameters process=, service=, from=, to=.

import {el, byService, procName, fmtTimeParam} from './util.js';

// A click outside an open process picker closes it (one listener for every picker there will be).
document.addEventListener('click', e => {
  for (const box of document.querySelectorAll('details.picker[open]')) if (!box.contains(e.target)) box.open = false;
});

/** The selection named by URL parameters, as API query parameters (prefix "a." / "b." for the diff's sides). */
export function selectionParams(params, prefix = '') {
  return {
    process: (params.get(prefix + 'process') || '').split(',').filter(Boolean),
    service: params.get(prefix + 'service') || null,
    from: params.get(prefix + 'from') || null,
    to: params.get(prefix + 'to') || null,
  };
}

/** Process ids a selection covers (for labels and series), given the process list. */
export function selectedIds(sel, processes) {
  const ids = new Set(sel.process || []);
  if (sel.service) for (const p of processes) if (p.service === sel.service) ids.add(p.id);
  if (ids.size === 0 && !sel.service && !(sel.process || []).length) for (const p of processes) ids.add(p.id);
  return [...ids];
}

export function selectionLabel(sel, processes) {
  const byId = new Map(processes.map(p => [p.id, p]));
  const ids = sel.process || [];
  if (!ids.length && !sel.service) return 'All processes (' + processes.length + ')';
  const parts = [];
  if (sel.service) parts.push('service ' + sel.service);
  if (ids.length === 1) parts.push(byId.get(ids[0]) ? byId.get(ids[0]).service + ' \u00b7 ' + procName(byId.get(ids[0])) : ids[0]);
  else if (ids.length > 1) parts.push(ids.length + ' processes');
  return parts.join(' + ');
}

/**
 * A drop-down of check boxes: every process, grouped by service. onChange({process: [ids], service}) with
 * an empty selection meaning all processes; a whole service checked alone becomes service=S.
 */
export function processPicker(processes, sel, onChange, {label = 'Processes'} = {}) {
  const chosen = new Set(selectedIds(sel, processes));
  const all = !(sel.process || []).length && !sel.service;
  const summary = el('summary', {dataset: {role: 'picker-summary'}});
  const box = el('details.picker', {dataset: {role: 'process-picker'}}, summary);
  const body = el('div.picker-body');
  box.appendChild(body);
  const boxes = [];
  const allBox = el('input', {type: 'checkbox', checked: all, dataset: {role: 'pick-all'}});
  body.appendChild(el('label.picker-all', allBox, ' All processes, merged'));
  const groups = byService(processes);
  for (const [service, list] of groups) {
    const sBox = el('input', {type: 'checkbox', dataset: {service}});
    const items = list.map(p => {
      const cb = el('input', {type: 'checkbox', checked: !all && chosen.has(p.id), dataset: {process: p.id}});
      boxes.push(cb);
      return el('label.picker-proc', cb, ' ', procName(p), ' ', el('span.dot.dot-' + p.status, {title: p.status}));
    });
    const syncService = () => { sBox.checked = items.every(l => l.firstChild.checked); };
    syncService();
    sBox.addEventListener('change', () => {
      for (const l of items) l.firstChild.checked = sBox.checked;
      allBox.checked = false;
      emit();
    });
    for (const l of items) l.firstChild.addEventListener('change', () => { syncService(); allBox.checked = false; emit(); });
    body.appendChild(el('div.picker-group', el('label.picker-service', sBox, ' ', el('strong', service),
      ' (' + list.length + ')'), items));
  }
  allBox.addEventListener('change', () => {
    if (allBox.checked) for (const b of boxes) b.checked = false;
    for (const s of body.querySelectorAll('input[data-service]')) s.checked = false;
    emit();
  });
  function current() {
    const ids = boxes.filter(b => b.checked).map(b => b.dataset.process);
    if (allBox.checked || ids.length === 0) return {process: [], service: null};
    for (const [service, list] of groups) {
      if (list.length === ids.length && list.every(p => ids.includes(p.id)) && list.length > 1) return {process: [], service};
    }
    return {process: ids, service: null};
  }
  function render() { summary.textContent = label + ': ' + selectionLabel(current(), processes); }
  function emit() { render(); onChange(current()); }
  if (sel.service && !groups.has(sel.service)) summary.classList.add('bad');
  render();
  if (!processes.length) summary.textContent = label + ': no processes yet';
  return box;
}

export const RANGES = [
  ['', 'All data'], ['-1m', 'Last minute'], ['-5m', 'Last 5 minutes'], ['-15m', 'Last 15 minutes'],
  ['-1h', 'Last hour'], ['-1d', 'Last day'],
];

/** Preset ranges plus the custom one (brushed or typed), onChange(from, to). */
export function rangePicker(from, to, onChange) {
  const sel = el('select', {dataset: {role: 'range'}, 'aria-label': 'Time range'});
  const preset = !to && RANGES.some(r => r[0] === (from || ''));
  for (const [v, label] of RANGES) sel.appendChild(el('option', {value: v, selected: preset && v === (from || '')}, label));
  if (!preset) {
    sel.appendChild(el('option', {value: 'custom', selected: true},
      (fmtTimeParam(from) || 'start') + ' \u2013 ' + (fmtTimeParam(to) || 'now')));
  }
  sel.addEventListener('change', () => { if (sel.value !== 'custom') onChange(sel.value || null, null); });
  return el('label.ctl', 'Range ', sel);
}

export function typeSelect(type, onChange, types = ['cpu', 'alloc', 'lock', 'wall', 'wait', 'native']) {
  const labels = {cpu: 'CPU', alloc: 'Allocation', lock: 'Lock', wall: 'Wall clock', wait: 'Object.wait', native: 'Native'};
  const s = el('select', {dataset: {role: 'type'}, 'aria-label': 'Profile type'},
    types.map(t => el('option', {value: t, selected: t === type}, labels[t] || t)));
  s.addEventListener('change', () => onChange(s.value));
  return el('label.ctl', 'Type ', s);
}
