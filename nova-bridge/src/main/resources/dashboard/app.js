// The Placewise operator's console: sign-in, then one view per tab. Plain ES modules, no build step.
import { api, session } from './api.js';
import { $, showError } from './ui.js';
import * as hosts from './hosts.js';
import * as audits from './audits.js';
import * as migrations from './migrations.js';
import * as policies from './policies.js';
import * as whynot from './whynot.js';

const VIEWS = { hosts, audits, migrations, policies, whynot };
let current = null;

function open(name) {
  if (current && VIEWS[current].hide) VIEWS[current].hide();
  for (const v of Object.keys(VIEWS)) {
    $(`${v}-view`).hidden = v !== name;
    $(`tab-${v}`).classList.toggle('active', v === name);
  }
  current = name;
  VIEWS[name].show();
}

function signedIn() {
  $('signin-view').hidden = true;
  $('tabs').hidden = false;
  $('session').hidden = false;
  $('role').textContent = session.role();
  document.body.classList.toggle('admin', session.isAdmin());
  for (const b of document.querySelectorAll('.admin-only')) b.disabled = !session.isAdmin();
  open(current || 'hosts');
}

// Signing out forgets the token and reloads the page, so nothing the last token could read stays on it.
function signedOut() {
  session.clear();
  window.location.replace('/dashboard/');
}

$('signin').addEventListener('submit', async (e) => {
  e.preventDefault();
  const token = $('token').value.trim();
  showError($('signin-error'), null);
  try {
    const who = await api('GET', '/v1/auth/token', undefined, token);
    session.save(token, who.role);
    $('token').value = '';
    signedIn();
  } catch (err) {
    showError($('signin-error'), err.status === 401 ? new Error('this token is not known to the bridge') : err);
  }
});

$('signout').addEventListener('click', signedOut);
for (const v of Object.keys(VIEWS)) $(`tab-${v}`).addEventListener('click', () => open(v));

// A token revoked while the tab is open: any 401 sends the operator back to the sign-in form.
window.addEventListener('placewise:unauthorized', signedOut);

if (session.token()) signedIn();
