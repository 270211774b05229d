// Sign-in: the identity provider (production), the dev sign-in (dev mode only), or a pasted token.

import { devSignIn, setToken, startOidcSignIn } from '../auth.js';
import { busy, card, el, errorBox, field, focusHeading, show } from '../ui.js';

export function signInPage(main, config, { problem, onSignedIn }) {
  document.title = 'Sign in · Playbill console';
  const status = el('div', { id: 'sign-in-status', 'aria-live': 'polite' }, problem ? errorBox(problem) : null);
  const sections = [];

  if (config.oidc) {
    const section = card('Sign in with your identity provider', { id: 'oidc' });
    const button = el('button', { type: 'button', id: 'oidc-sign-in' }, 'Sign in');
    button.addEventListener('click', () => busy(button, () => startOidcSignIn(config.oidc))
      .catch((e) => show(status, errorBox(e))));
    section.append(el('p', {}, 'You will be sent to your organisation\'s sign-in page and back here.'), button);
    sections.push(section);
  }

  if (config.devSignIn) {
    const section = card('Development sign-in', { id: 'dev' });
    const form = el('form', { class: 'stack', id: 'dev-sign-in', novalidate: true });
    const user = field('User id', 'input', { name: 'user', required: true, autocomplete: 'username',
      pattern: '[A-Za-z0-9._@\\-]{1,64}', value: 'fiona' }, 'Letters, digits, ".", "_", "@" or "-".');
    const admin = el('input', { type: 'checkbox', name: 'role', value: 'admin', id: 'role-admin', checked: true });
    const finance = el('input', { type: 'checkbox', name: 'role', value: 'finance', id: 'role-finance', checked: true });
    const roles = el('fieldset', {}, el('legend', {}, 'Roles'),
      el('label', { for: 'role-admin' }, admin, ' admin'), el('label', { for: 'role-finance' }, finance, ' finance'),
      el('span', { class: 'hint' }, 'None: a player.'));
    const submit = el('button', { type: 'submit' }, 'Sign in');
    form.append(el('p', { class: 'hint' }, 'This gateway runs in dev mode: it signs a one-hour development token '
      + 'for the user id you choose. A production gateway has no such sign-in.'), user.field, roles, submit);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = [admin, finance].filter((box) => box.checked).map((box) => box.value);
      busy(submit, () => devSignIn(user.input.value.trim(), chosen)).then(onSignedIn)
        .catch((e) => show(status, errorBox(e)));
    });
    section.append(form);
    sections.push(section);
  }

  const paste = card('Sign in with a token', { id: 'paste' });
  const pasteForm = el('form', { class: 'stack', id: 'paste-token' });
  const token = field('Access token (JWT)', 'textarea', { name: 'token', required: true, spellcheck: 'false',
    autocomplete: 'off' }, 'A user token your identity provider issued for this gateway. It stays in this tab only.');
  const pasteSubmit = el('button', { type: 'submit', class: sections.length ? 'secondary' : null }, 'Use this token');
  pasteForm.append(token.field, pasteSubmit);
  pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      setToken(token.input.value);
      onSignedIn();
    } catch (e) {
      show(status, errorBox(e));
    }
  });
  paste.append(pasteForm);
  sections.push(paste);

  show(main, el('h1', {}, 'Sign in'), status, el('div', { class: 'grid' }, sections));
  focusHeading(main);
}
