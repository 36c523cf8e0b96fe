// Policies: every filter, weigher and the balancer with enabled, multiplier and parameters. An admin
// edits and saves (PATCH /v1/policies/{name}); a reader sees the same table with every control disabled.
import { api, get, session } from './api.js';
import { $, el, clear, showError } from './ui.js';
import { handle } from './errors.js';

export async function show() {
  const admin = session.isAdmin();
  $('policies-readonly').hidden = admin;
  let policies;
  try {
    policies = await get('/v1/policies');
  } catch (err) {
    handle(err, $('policies-message'));
    return;
  }
  const body = clear($('policies-table').tBodies[0]);
  for (const p of policies) body.append(row(p, admin));
}

function row(p, admin) {
  // The balancer is configured in its section of placewise.conf, not at run time.
  const editable = admin && p.kind !== 'balancer';
  const enabled = el('input', { type: 'checkbox', class: 'policy-enabled', disabled: !editable });
  enabled.checked = p.enabled;
  const multiplier = p.multiplier === null || p.multiplier === undefined ? el('span', { class: 'muted', text: '–' })
    : el('input', { type: 'number', step: 'any', class: 'policy-multiplier', value: p.multiplier, disabled: !editable });
  const params = el('div');
  const described = new Map((p.parameters || []).map((d) => [d.name, d.description]));
  for (const [k, v] of Object.entries(p.params || {})) {
    params.append(el('label', { class: 'param', title: described.get(k) || '' }, `${k} `,
      el('input', { class: 'policy-param', dataset: { param: k }, value: v, disabled: !editable })));
  }
  const save = el('button', { type: 'button', class: 'policy-save', text: 'Save', disabled: !editable });
  save.addEventListener('click', () => patch(p, enabled, multiplier, params));
  return el('tr', { dataset: { policy: p.name }, title: p.description || '' },
    el('td', { text: p.name }), el('td', { text: p.kind }), el('td', {}, enabled), el('td', {}, multiplier),
    el('td', {}, params), el('td', {}, save));
}

async function patch(p, enabled, multiplier, params) {
  const change = { enabled: enabled.checked };
  if (multiplier instanceof HTMLInputElement) change.multiplier = Number(multiplier.value);
  const changed = {};
  for (const input of params.querySelectorAll('input')) {
    if (input.value !== p.params[input.dataset.param]) changed[input.dataset.param] = input.value;
  }
  if (Object.keys(changed).length) change.params = changed;
  const msg = $('policies-message');
  try {
    const next = await api('PATCH', `/v1/policies/${encodeURIComponent(p.name)}`, change);
    Object.assign(p, next);
    msg.className = 'ok';
    msg.textContent = `${p.name} saved: ${next.enabled ? 'enabled' : 'disabled'}${next.multiplier === null ? '' : `, multiplier ${next.multiplier}`}`;
  } catch (err) {
    msg.className = 'error';
    handle(err, msg);
  }
}
