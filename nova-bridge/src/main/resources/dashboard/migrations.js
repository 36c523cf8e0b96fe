// Migrations: a timeline (start to last update, coloured by outcome) and the newest 200 with strategy,
// downtime, total time, data and outcome.
import { get } from './api.js';
import { $, el, clear, num, when, showError } from './ui.js';
import { drawTimeline } from './chart.js';
import { handle } from './errors.js';

const SHOWN = 200;
let bound = false;

export function show() {
  if (!bound) {
    bound = true;
    $('migrations-refresh').addEventListener('click', refresh);
  }
  refresh();
}

async function refresh() {
  let all;
  try {
    all = await get('/v1/migrations');
    showError($('migrations-error'), null);
  } catch (err) {
    handle(err, $('migrations-error'));
    return;
  }
  const newest = all.slice().sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at)).slice(0, SHOWN);
  $('migrations-count').textContent = `${all.length} migration(s)${all.length > SHOWN ? `, newest ${SHOWN} shown` : ''}`;
  drawTimeline($('migrations-timeline'), newest.slice().reverse());
  const body = clear($('migrations-table').tBodies[0]);
  for (const m of newest) {
    const r = m.result || {};
    body.append(el('tr', { dataset: { id: m.id } },
      el('td', { text: when(m.created_at) }), el('td', { text: m.vm }), el('td', { text: m.source }),
      el('td', { text: m.destination || '–' }), el('td', { text: r.strategy_used || m.strategy || m.action }),
      el('td', { class: 'num', text: r.downtime_ms === undefined ? '–' : `${r.downtime_ms} ms` }),
      el('td', { class: 'num', text: r.total_ms === undefined ? '–' : `${num(r.total_ms / 1000, 1)} s` }),
      el('td', { class: 'num', text: r.data_mb === undefined ? '–' : `${num(r.data_mb, 0)} MiB` }),
      el('td', { class: `state-${m.state}`, text: m.state + (m.error ? `: ${m.error}` : '') })));
  }
}
