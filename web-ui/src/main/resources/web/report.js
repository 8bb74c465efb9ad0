// Bootstrap of mpdiag's HTML report: inlined after flame.js in one module script, so FlameGraph is in scope.
// Switches the process section and the profile-type tab. The whole view (process, type, zoom path and
// search) lives in the URL hash, so a link to a finding can be shared and opening it restores the view.
const rpData = JSON.parse(document.getElementById('report-data').textContent);
const rpSelect = document.getElementById('process');
const rpTabs = document.getElementById('types');
const rpFlameBox = document.getElementById('flame');
let rpGraph = null;
let rpCurrent = {process: null, type: null};

function rpReadHash() {
  const h = new URLSearchParams(location.hash.slice(1));
  const zoom = h.get('zoom');
  return {process: h.get('process'), type: h.get('type'), search: h.get('search') || '',
    zoomPath: zoom ? zoom.split(';') : null};
}

function rpWriteHash(state) {
  const h = new URLSearchParams();
  h.set('process', rpCurrent.process);
  if (rpCurrent.type) h.set('type', rpCurrent.type);
  if (state && state.search) h.set('search', state.search);
  if (state && state.zoomPath && state.zoomPath.length > 1) h.set('zoom', state.zoomPath.join(';'));
  const next = '#' + h.toString();
  if (next !== location.hash) history.replaceState(null, '', next);
}

function rpTabsFor(types, type) {
  const existing = [...rpTabs.querySelectorAll('button')].map(b => b.dataset.type);
  // Rebuild only when the set of types changes, so keyboard focus stays on the tab just pressed.
  if (existing.join() !== types.join()) {
    rpTabs.replaceChildren(...types.map(t => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t;
      b.dataset.type = t;
      b.addEventListener('click', () => rpShow({process: rpSelect.value, type: t}));
      return b;
    }));
  }
  for (const b of rpTabs.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset.type === type));
}

function rpShow(state) {
  let process = state.process;
  if (!rpData[process]) process = Object.keys(rpData)[0];
  const types = Object.keys(rpData[process]);
  let type = types.includes(state.type) ? state.type : types[0];
  rpSelect.value = process;
  for (const s of document.querySelectorAll('section.mp-process')) s.hidden = s.dataset.process !== process;
  rpTabsFor(types, type);
  const changed = process !== rpCurrent.process || type !== rpCurrent.type;
  rpCurrent = {process, type};
  if (!type) {
    // destroy() also drops the graph's resize listener, which would otherwise outlive it.
    if (rpGraph) rpGraph.destroy();
    rpGraph = null;
    rpFlameBox.textContent = 'No profile samples in this recording.';
    rpWriteHash(null);
    return;
  }
  const view = {search: state.search || '', zoomPath: state.zoomPath || null};
  if (!rpGraph) {
    rpFlameBox.textContent = '';
    rpGraph = new FlameGraph(rpFlameBox, rpData[process][type], Object.assign({onStateChange: rpWriteHash}, view));
  } else if (changed) {
    rpGraph.setData(rpData[process][type], view);
  } else {
    if (view.zoomPath) rpGraph.zoomToPath(view.zoomPath); else rpGraph.reset();
    rpGraph.search(view.search);
  }
  window.mpdiagFlame = rpGraph;
  rpWriteHash(view);
}

rpSelect.addEventListener('change', () => rpShow({process: rpSelect.value, type: rpCurrent.type}));
// A link pasted into a tab that already shows the report changes only the hash.
window.addEventListener('hashchange', () => rpShow(rpReadHash()));
rpShow(rpReadHash());
