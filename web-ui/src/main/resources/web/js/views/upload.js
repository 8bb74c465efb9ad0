// Upload: drop .jfr files (one per worker of a past run, say) to analyze them post-run in every view. Each JVM
// in them becomes a process of the chosen service with status "uploaded". URL: service.

import {api, errorBox, loadingBox} from '../api.js';
import {el, clear, fmtBytes} from '../util.js';

export async function mount(root, ctx) {
  const p = ctx.params;
  const service = el('input', {type: 'text', value: p.get('service') || 'upload', dataset: {role: 'upload-service'},
    'aria-label': 'Service name', size: 24});
  service.addEventListener('change', () => ctx.set({service: service.value && service.value !== 'upload' ? service.value : null}));
  const input = el('input', {type: 'file', multiple: true, accept: '.jfr', dataset: {role: 'upload-input'}});
  const drop = el('div.drop', {dataset: {role: 'drop'}}, el('p', 'Drop .jfr files here, or ', el('label.btn', input, ' choose files')),
    el('p.small', 'Each file\u2019s JVMs become processes of the service below, with status \u201cuploaded\u201d.'));
  input.style.display = 'none';
  const result = el('div', {dataset: {role: 'upload-result'}});
  root.append(el('div.view-head', el('h1', 'Upload recordings')),
    el('section.card', el('div.controls', el('label.ctl', 'Service ', service)), drop), result);

  input.addEventListener('change', () => { if (input.files.length) upload([...input.files]); });
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => {
    e.preventDefault();
    drop.classList.remove('over');
    const files = [...(e.dataTransfer ? e.dataTransfer.files : [])];
    if (files.length) upload(files);
  });

  async function upload(files) {
    ctx.status('loading');
    const bytes = files.reduce((s, f) => s + f.size, 0);
    clear(result, loadingBox('Uploading ' + files.length + (files.length === 1 ? ' file' : ' files') + ' (' + fmtBytes(bytes) + ')\u2026'));
    const form = new FormData();
    files.forEach((f, i) => form.append('f' + i, f, f.name));
    let r;
    try {
      r = await api('uploads', {service: service.value.trim() || null}, {method: 'POST', body: form, timeoutMs: 300000});
    } catch (e) {
      clear(result, errorBox(e, 'Upload'));
      ctx.status('error');
      input.value = '';
      return;
    }
    input.value = '';
    if (!ctx.alive()) return;
    await ctx.processes(true).catch(() => null);
    clear(result, el('section.card', el('h3', 'Uploaded'),
      el('table.grid', {dataset: {role: 'uploaded'}},
        el('thead', el('tr', el('th.left', 'File'), el('th', 'Size'), el('th.left', 'Processes'), el('th.left', 'Open'))),
        el('tbody', r.files.map(f => el('tr',
          el('td.left', f.file, f.warning ? el('div.small.err-text', f.warning) : null),
          el('td', fmtBytes(f.bytes)),
          el('td.left', f.processes.map(x => el('div', {dataset: {process: x.process}}, el('code', x.process),
            ' (' + x.chunks + ' chunks, ' + x.stored + ' new)'))),
          el('td.left', f.processes.map(x => el('div',
            el('a', {href: ctx.href('flame', {process: x.process}), dataset: {role: 'uploaded-flame'}}, 'flame graph'), ' \u00b7 ',
            el('a', {href: ctx.href('checks', {process: x.process})}, 'checks'), ' \u00b7 ',
            el('a', {href: ctx.href('rules', {process: x.process})}, 'JMC')))))))),
      el('p', el('a', {href: ctx.href('overview', {})}, 'See them in the overview'))));
    ctx.status('ready');
  }

  ctx.status('ready');
  return {unmount() {}};
}
