// Glue of the self-contained heatmap page (mpdiag flame --format heatmap), inlined after flame.js and heatmap.js:
// the heatmap on top, and below it the flame graph of the span dragged on it (the whole recording at first).
// The span lives in the fragment (#from=...&to=...) so a link to the file reopens it.
const hmData = JSON.parse(document.getElementById('heatmap-data').textContent);
const hmSamples = JSON.parse(document.getElementById('samples-data').textContent);
const hmSpanTitle = document.getElementById('span');
const hmFlameBox = document.getElementById('flame');
let hmFlame = null;

function hmShow(from, to) {
  const cell = hmSamples.cellMillis;
  const data = spanFlame(hmSamples, hmData.type, hmData.unit, Math.floor((from - hmData.from) / cell),
    Math.ceil((to - hmData.from) / cell));
  hmSpanTitle.textContent = 'Flame graph of ' + clockMillis(from) + ' \u2013 ' + clockMillis(to) + ' ('
    + ((to - from) / 1000).toFixed(2) + ' s, ' + formatValue(data.total, hmData.unit) + ', all processes)';
  hmSpanTitle.dataset.from = String(from);
  hmSpanTitle.dataset.to = String(to);
  if (hmFlame) hmFlame.setData(data, {}); else hmFlame = new FlameGraph(hmFlameBox, data, {});
  window.mpdiagFlame = hmFlame;
}

const hmHash = new URLSearchParams(location.hash.replace(/^#/, ''));
const hmFrom = +hmHash.get('from'), hmTo = +hmHash.get('to');
const hmInitial = hmHash.has('from') && hmHash.has('to') && hmTo > hmFrom ? {from: hmFrom, to: hmTo, process: null} : null;
window.mpdiagHeatmap = new Heatmap(document.getElementById('heatmap'), hmData, {
  selection: hmInitial,
  onSelect: (from, to) => {
    history.replaceState(null, '', '#from=' + from + '&to=' + to);
    window.mpdiagHeatmap.setSelection({from, to, process: null});
    hmShow(from, to);
  },
});
if (hmData.columns) {
  if (hmInitial) hmShow(hmInitial.from, hmInitial.to);
  else hmShow(hmData.from, hmData.from + hmData.columns * 1000);
}
