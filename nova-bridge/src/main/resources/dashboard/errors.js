// One way to show a failed call: a 401 means the token is gone (sign in again); anything else is
// the problem's detail next to the control that caused it.
import { showError } from './ui.js';

export function handle(err, node) {
  if (err && err.status === 401) {
    window.dispatchEvent(new Event('placewise:unauthorized'));
    return;
  }
  showError(node, err);
}
