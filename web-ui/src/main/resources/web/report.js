// Bootstrap of mpdiag's HTML report: inlined after flame.js in one module script, so FlameGraph is in scope.
// Switches the process section and the profile-type tab; keeps the choice in the URL hash for sharing.
const rpData = JSON.parse(document.getElementById('report-data').textContent);
const rpSelect = document.getElementById('process');
const rpTabs = document.getElementById('types');
const rpFlameBox = document.getElementById('flame');
let rpGraph = null;

function rpState() {
  const h = new URLSearchParams(location.hash.slice(1));
  return {process: h.get('process'), type: h.get('type')};
}

function rpShow(process, type) {
  if (!rpData[process]) process = Object.keys(rpData)[0];
  const types = Object.keys(rpData[process]);
  if (!types.includes(type)) type = types[0];
  rpSelect.value = process;
  for (const s of document.querySelectorAll('section.mp-process')) s.hidden = s.dataset.process !== process;
  rpTabs.replaceChildren(...types.map(t => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = t;
    b.dataset.type = t;
    b.setAttribute('aria-pressed', String(t === type));
    b.addEventListener('click', () => rpShow(rpSelect.value, t));
    return b;
  }));
  history.replaceState(null, '', '#process=' + encodeURIComponent(process) + '&type=' + encodeURIComponent(type || ''));
  if (!type) {
    // destroy() also drops the graph's resize listener, which would otherwise outlive it.
    if (rpGraph) rpGraph.destroy();
    rpGraph = null;
    rpFlameBox.textContent = 'No profile samples in this recording.';
    return;
  }
  const data = rpData[process][type];
  if (rpGraph) {
    rpGraph.setData(data);
  } else {
    rpFlameBox.textContent = '';
    rpGraph = new FlameGraph(rpFlameBox, data, {});
  }
  window.mpdiagFlame = rpGraph;
}

rpSelect.addEventListener('change', () => rpShow(rpSelect.value, rpState().type));
const rpInitial = rpState();
rpShow(rpInitial.process, rpInitial.type);
