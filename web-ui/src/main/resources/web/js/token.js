// The access token a collector started with --token needs. On the first 401 the dashboard asks for it in a
// dialog, once, and keeps it in a cookie the collector accepts (so download links work as well as fetch); every
// call waiting on the same answer shares one dialog.

import {el} from './util.js';

const COOKIE = 'mpdiag_token';
// The collector's own rule for tokens (AccessToken.FORM): these survive a cookie unencoded.
const FORM = /^[A-Za-z0-9._~+/=-]{8,256}$/;

let pending = null;
// Cancelled: the views show the 401 as their error instead of asking again on every refresh, until a reload.
let declined = false;

/**
 * Shows the dialog (or joins the one already shown) and resolves once a token was saved; resolves false when
 * the user cancels. wrong: the last token was refused, say so.
 */
export function askForToken(wrong) {
  if (declined) return Promise.resolve(false);
  if (!pending) {
    pending = new Promise(resolve => show(wrong, saved => { pending = null; resolve(saved); }));
  }
  return pending;
}

function show(wrong, done) {
  const input = el('input', {type: 'password', autocomplete: 'current-password', size: 40,
    dataset: {role: 'token-input'}, 'aria-label': 'access token'});
  const problem = el('div.msg-detail', {dataset: {role: 'token-problem'}},
    wrong ? 'The collector refused that token; try again.' : '');
  const box = el('form.token-dialog.msg.msg-info', {role: 'dialog', dataset: {role: 'token-dialog'}},
    el('strong', 'This collector needs its access token'),
    el('div.msg-detail', 'The one given to mpdiag serve --token (or --token-file). It is kept in a cookie for this site.'),
    el('div', input, ' ', el('button', {type: 'submit', dataset: {role: 'token-save'}}, 'Save'),
      ' ', el('button', {type: 'button', dataset: {role: 'token-cancel'},
        onclick: () => { declined = true; box.remove(); done(false); }}, 'Cancel')),
    problem);
  box.addEventListener('submit', ev => {
    ev.preventDefault();
    const t = input.value.trim();
    if (!FORM.test(t)) {
      problem.textContent = 'A token is 8 to 256 characters from A-Z a-z 0-9 . _ ~ + / = -';
      return;
    }
    document.cookie = COOKIE + '=' + t + '; path=/; max-age=31536000; SameSite=Strict';
    box.remove();
    done(true);
  });
  document.body.prepend(box);
  input.focus();
}
