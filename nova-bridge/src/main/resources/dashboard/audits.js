// Audits: create one (goal, dry run), read its plan with each step's reason and the projected CPU
// against today's, execute it and follow the execution live. The execution comes from the audit's
// `execution` object when the bridge has it, else from the plan's records in GET /v1/migrations.
import { api, get } from './api.js';
import { $, el, clear, facts, pct, num, bar, showError } from './ui.js';
import { handle } from './errors.js';

const FOLLOW_MS = 1000;
const TERMINAL = new Set(['completed', 'failed', 'partially_completed', 'cancelled']);
let bound = false;
let shown = null;
let follow = null;

export function show() {
  if (!bound) {
    bound = true;
    $('audit-form').addEventListener('submit', (e) => {
      e.preventDefault();
      create();
    });
    $('audit-execute').addEventListener('click', execute);
  }
  list();
}

export function hide() {
  stopFollowing();
}

async function list() {
  const ul = clear($('audit-list'));
  try {
    const audits = await get('/v1/audits?limit=20');
    if (audits.length === 0) ul.append(el('li', { class: 'muted', text: 'no audits yet' }));
    for (const a of audits) {
      const label = `${a.goal}${a.triggered ? '' : ' (not triggered)'}, ${a.steps} step(s)${a.executed ? ', executed' : ''}`;
      ul.append(el('li', {}, el('button', { type: 'button', class: 'link', text: a.id.slice(0, 8), onclick: () => open(a.id) }),
        ` ${label}`));
    }
  } catch (err) {
    if (err.status === 404 || err.status === 405) ul.append(el('li', { class: 'muted', text: 'this bridge does not list audits' }));
    else handle(err, $('audits-error'));
  }
}

async function create() {
  showError($('audits-error'), null);
  try {
    const audit = await api('POST', '/v1/audits', { goal: $('audit-goal').value, dry_run: $('audit-dry-run').checked });
    await render(audit);
    list();
    if (!audit.dry_run && audit.plan.length > 0) startFollowing(audit.id);
  } catch (err) {
    handle(err, $('audits-error'));
  }
}

async function open(id) {
  showError($('audits-error'), null);
  try {
    const audit = await get(`/v1/audits/${encodeURIComponent(id)}`);
    await render(audit);
    const state = await execution(audit);
    if (state && !TERMINAL.has(state.state) && state.state !== 'not_started') startFollowing(id);
  } catch (err) {
    handle(err, $('audits-error'));
  }
}

async function render(audit) {
  stopFollowing();
  shown = audit;
  $('audit-detail').hidden = false;
  $('audit-id').textContent = audit.id;
  const m = audit.metrics;
  facts($('audit-facts'), [
    ['goal', audit.goal],
    ['triggered', audit.triggered ? 'yes' : 'no'],
    ['dry run', audit.dry_run === false ? 'no' : 'yes'],
    ['C_avg / C_m', `${pct(m.c_avg)} / ${pct(m.c_m)} (threshold ${pct(m.threshold)})`],
    ['C_m after the plan', m.projected_cm === undefined ? '–' : pct(m.projected_cm)],
    ['hotspots', m.hotspots.length ? m.hotspots.join(', ') : 'none'],
    ['history', audit.history_match ? `reuses record ${audit.history_match.record_id}` : 'no similar record'],
    ['decision', `${num(audit.decision_ms, 2)} ms`],
  ]);
  const notes = clear($('audit-notes'));
  for (const n of audit.notes || []) notes.append(el('li', { text: n }));
  const body = clear($('audit-plan').tBodies[0]);
  if (audit.plan.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted', text: 'nothing to do' })));
  for (const s of audit.plan) {
    body.append(el('tr', { dataset: { order: s.order } },
      el('td', { text: s.order }), el('td', { text: s.action || 'migrate' }), el('td', { text: s.vm }),
      el('td', { text: s.source }), el('td', { text: s.destination || '–' }),
      el('td', { text: s.strategy || (s.amount_mb ? `+${s.amount_mb} MB` : '–') }), el('td', { text: s.reason }),
      el('td', { class: 'step-state', text: '–' })));
  }
  await projected(audit);
  $('audit-execute').disabled = !(document.body.classList.contains('admin') && audit.plan.length > 0 && !audit.what_if);
  $('audit-state').textContent = 'not started';
}

/** Today's CPU (from the heat map's source) against the plan's projection, for the hosts the plan touches. */
async function projected(audit) {
  const body = clear($('audit-projected').tBodies[0]);
  let now = {};
  try {
    const l = await get('/v1/cluster/loads');
    l.hosts.forEach((h, i) => { now[h] = l.cpu_util[i]; });
  } catch (err) {
    now = {};
  }
  const touched = new Set();
  for (const s of audit.plan) {
    touched.add(s.source);
    if (s.destination) touched.add(s.destination);
  }
  for (const h of audit.metrics.hotspots) touched.add(h);
  const hosts = touched.size ? [...touched] : Object.keys(audit.projected).slice(0, 10);
  for (const h of hosts) {
    const p = audit.projected[h];
    body.append(el('tr', { dataset: { host: h } }, el('td', { text: h }),
      el('td', { class: 'cellbar' }, bar('now', now[h]), el('span', { class: 'small', text: pct(now[h]) })),
      el('td', { class: 'cellbar' }, bar('projected', p), el('span', { class: 'small', text: pct(p) }))));
  }
}

async function execute() {
  if (!shown) return;
  showError($('audits-error'), null);
  try {
    await api('POST', `/v1/audits/${encodeURIComponent(shown.id)}/execute`);
    $('audit-execute').disabled = true;
    startFollowing(shown.id);
  } catch (err) {
    handle(err, $('audits-error'));
  }
}

function startFollowing(id) {
  stopFollowing();
  const tick = async () => {
    try {
      const audit = await get(`/v1/audits/${encodeURIComponent(id)}`);
      const state = await execution(audit);
      if (state && TERMINAL.has(state.state)) {
        stopFollowing();
        list();
      }
    } catch (err) {
      handle(err, $('audits-error'));
      stopFollowing();
    }
  };
  follow = setInterval(tick, FOLLOW_MS);
  tick();
}

function stopFollowing() {
  clearInterval(follow);
  follow = null;
}

/** Shows the audit's execution state and each step's; null when it was never executed. */
async function execution(audit) {
  let state = audit.execution;
  if (!state) {
    const all = await get('/v1/migrations');
    const steps = all.filter((m) => m.audit_id === audit.id).sort((a, b) => a.order - b.order)
      .map((m) => ({ order: m.order, migration_id: m.id, state: m.state, error: m.error }));
    state = { state: overall(steps), steps };
  }
  $('audit-state').textContent = state.state.replace('_', ' ');
  $('audit-state').className = `state-${state.state}`;
  for (const s of state.steps || []) {
    const cell = document.querySelector(`#audit-plan tr[data-order="${s.order}"] .step-state`);
    if (cell) {
      cell.textContent = s.state + (s.error ? `: ${s.error}` : '');
      cell.className = `step-state state-${s.state}`;
    }
  }
  return state;
}

function overall(steps) {
  if (steps.length === 0) return 'not_started';
  const states = steps.map((s) => s.state);
  if (states.some((s) => s === 'queued' || s === 'running')) return 'running';
  if (states.every((s) => s === 'completed' || s === 'skipped')) return 'completed';
  if (states.some((s) => s === 'completed')) return 'partially_completed';
  if (states.every((s) => s === 'cancelled')) return 'cancelled';
  return 'failed';
}
