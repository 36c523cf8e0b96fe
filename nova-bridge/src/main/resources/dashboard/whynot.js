// "Why not this host?": asks POST /v1/select for a flavor and shows the choice, every rejection
// (virtualised: 10,000 rows cost a few dozen elements) and the weights. For a host that passed but
// lost, POST /v1/weigh over every passing host gives its rank and each weigher's part.
import { api } from './api.js';
import { $, el, clear, num, showError, VirtualList } from './ui.js';
import { handle } from './errors.js';

let bound = false;
let rejected = null;
let lastRejections = [];

export function show() {
  if (bound) return;
  bound = true;
  rejected = new VirtualList($('why-rejected'), (r) => `${r.host} — ${r.filter}: ${r.reason}`);
  $('why-form').addEventListener('submit', (e) => {
    e.preventDefault();
    ask();
  });
  $('why-rejected-filter').addEventListener('input', filterRejections);
}

function request() {
  const flavor = { vcpus: Number($('why-vcpus').value), memory_mb: Number($('why-memory').value), disk_gb: Number($('why-disk').value) };
  const spec = { flavor };
  if ($('why-workload').value) spec.workload = $('why-workload').value;
  return { spec };
}

async function ask() {
  showError($('why-error'), null);
  const body = request();
  let answer;
  try {
    answer = await api('POST', '/v1/select', body);
  } catch (err) {
    handle(err, $('why-error'));
    return;
  }
  $('why-result').hidden = false;
  $('why-selected').textContent = answer.selected.length ? answer.selected.join(', ') : 'no host passes';
  $('why-summary').textContent = `${answer.passed_total ?? answer.weighed.length} passed, ${answer.rejected.length} rejected, `
    + `${num(answer.decision_ms, 2)} ms`;
  lastRejections = answer.rejected;
  $('why-rejected-count').textContent = lastRejections.length;
  filterRejections();
  weighedTable(answer.weighed);
  await explain($('why-host').value.trim(), body, answer);
}

function filterRejections() {
  const q = $('why-rejected-filter').value.trim().toLowerCase();
  rejected.set(q ? lastRejections.filter((r) => `${r.host} ${r.filter} ${r.reason}`.toLowerCase().includes(q)) : lastRejections);
}

function weighedTable(weighed) {
  const body = clear($('why-weighed').tBodies[0]);
  for (const w of weighed) {
    const by = Object.entries(w.by).map(([k, v]) => `${k} ${num(v, 3)}`).join(', ');
    body.append(el('tr', { dataset: { host: w.host } }, el('td', { text: w.host }), el('td', { class: 'num', text: num(w.weight, 3) }),
      el('td', { class: 'small', text: by })));
  }
}

async function explain(host, body, answer) {
  const box = clear($('why-answer'));
  if (!host) return;
  const said = (text) => box.append(el('p', { text }));
  if (answer.selected.includes(host)) {
    said(`${host} is selected.`);
    return;
  }
  const no = answer.rejected.filter((r) => r.host === host);
  if (no.length) {
    for (const r of no) said(`${host} is rejected by ${r.filter}: ${r.reason}`);
    return;
  }
  let weighed;
  try {
    weighed = (await api('POST', '/v1/weigh', body)).weighed;
  } catch (err) {
    handle(err, $('why-error'));
    return;
  }
  const i = weighed.findIndex((w) => w.host === host);
  if (i < 0) {
    said(`${host} is not a candidate: unknown to the bridge, or not enabled.`);
    return;
  }
  const mine = weighed[i];
  const best = weighed[0];
  said(`${host} passes every filter but ranks ${i + 1} of ${weighed.length}: weight ${num(mine.weight, 3)} against `
    + `${best.host}'s ${num(best.weight, 3)}.`);
  const table = el('table', { id: 'why-compare' }, el('thead', {}, el('tr', {}, el('th', { text: 'weigher' }),
    el('th', { text: host }), el('th', { text: best.host }))));
  const tbody = el('tbody');
  for (const k of new Set([...Object.keys(mine.by), ...Object.keys(best.by)])) {
    tbody.append(el('tr', {}, el('td', { text: k }), el('td', { class: 'num', text: num(mine.by[k], 3) }),
      el('td', { class: 'num', text: num(best.by[k], 3) })));
  }
  table.append(tbody);
  box.append(table);
}
