// The console's entry: sign-in, navigation between the pages a user's roles open, and sign-out.

import { completeOidcSignIn, currentUser, isStaff, signOut, storedToken } from './auth.js';
import { el, errorBox, show } from './ui.js';
import { adminPage } from './pages/admin.js';
import { financePage } from './pages/finance.js';
import { playerPage } from './pages/player.js';
import { signInPage } from './pages/signin.js';

const pages = {
  finance: { render: financePage, allowed: isStaff, needs: 'finance or admin' },
  admin: { render: adminPage, allowed: isStaff, needs: 'finance or admin' },
  me: { render: playerPage, allowed: () => true },
};

const main = document.getElementById('main');
let config = { devSignIn: false, oidc: null };
let problem = null;
let expiryTimer = null;
/** setTimeout's longest wait (about 24.8 days); a later expiry is waited for in steps. */
const LONGEST_WAIT_MS = 2147483647;

/**
 * An open page is signed out when its token expires, not only at its next call: until then it went on showing
 * balances and statements to whoever sat at the screen. A sign-in meanwhile (another token) keeps its own timer.
 */
function signOutAtExpiry(user) {
  clearTimeout(expiryTimer);
  expiryTimer = null;
  if (!user || !user.expiresAt) return;
  const token = storedToken();
  const wait = Math.min(Math.max(user.expiresAt.getTime() - Date.now(), 0), LONGEST_WAIT_MS);
  expiryTimer = setTimeout(() => {
    if (storedToken() === token) checkExpiry();
  }, wait);
}

/**
 * Signs out if the kept token has expired, else waits for its expiry again. Also run when the page is shown again:
 * a timer does not run while the machine sleeps, and a lid opened hours later would show the page as it was.
 */
function checkExpiry() {
  if (!storedToken()) return;
  const still = currentUser();
  if (still) {
    signOutAtExpiry(still);
    return;
  }
  signedOut({ code: 'token_expired', message: 'Your sign-in has expired; please sign in again.' });
}

/** Forgets the token and shows the sign-in page with why. */
function signedOut(why) {
  signOut();
  problem = why;
  render();
}

function pageName() {
  const name = window.location.hash.replace(/^#\/?/, '');
  // Own keys only: '#/constructor' or '#/__proto__' would otherwise find Object's built-ins.
  return Object.hasOwn(pages, name) ? name : null;
}

function updateHeader(user, current) {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.hidden = !user;
  who.hidden = !user;
  if (!user) return;
  nav.querySelectorAll('a[data-page]').forEach((link) => {
    const page = pages[link.dataset.page];
    link.parentElement.hidden = !page.allowed(user);
    if (link.dataset.page === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  document.getElementById('who-name').textContent = user.roles.length
    ? `${user.id} (${user.roles.join(', ')})` : user.id;
}

function render() {
  const user = currentUser();
  signOutAtExpiry(user);
  if (!user) {
    updateHeader(null);
    signInPage(main, config, {
      problem,
      onSignedIn: () => {
        problem = null;
        const signedIn = currentUser();
        const wanted = pageName();
        const target = wanted && pages[wanted].allowed(signedIn) ? wanted : (isStaff(signedIn) ? 'finance' : 'me');
        if (window.location.hash === `#/${target}`) render();
        else window.location.hash = `#/${target}`;
      },
    });
    return;
  }
  const name = pageName() || (isStaff(user) ? 'finance' : 'me');
  if (`#/${name}` !== window.location.hash) {
    window.location.replace(`#/${name}`);
    return;
  }
  updateHeader(user, name);
  const page = pages[name];
  if (!page.allowed(user)) {
    show(main, el('h1', {}, 'Not for your roles'), errorBox({ code: 'forbidden',
      message: `This page needs the role ${page.needs}; you are signed in as ${user.id}.` }));
    return;
  }
  page.render(main, user);
}

async function start() {
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store', credentials: 'omit' });
    if (response.ok) config = await response.json();
  } catch (e) {
    problem = { code: 'network_error', message: 'The gateway could not be reached.' };
  }
  try {
    await completeOidcSignIn(config.oidc);
  } catch (e) {
    problem = e;
  }
  document.getElementById('sign-out').addEventListener('click', () => {
    signOut();
    render();
  });
  document.addEventListener('console:unauthorized', (event) => {
    signedOut({ code: event.detail.code, message: `Please sign in again: ${event.detail.message}` });
  });
  window.addEventListener('hashchange', render);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden) checkExpiry();
  });
  window.addEventListener('focus', checkExpiry);
  render();
}

start();
