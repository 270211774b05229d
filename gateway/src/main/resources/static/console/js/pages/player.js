// My account (any signed-in user): balance, playtime left at the current prices, sessions and statement.

import { allItems, api, lastItems } from '../api.js';
import { busy, card, el, empty, errorBox, focusHeading, formatDuration, loading, show, table } from '../ui.js';
import {
  accountFigures, csvButton, playtimeFor, sessionsTable, STATEMENT_LINES, statementCsvButton, statementShortened,
  statementTable,
} from './account.js';

export function playerPage(main, user) {
  document.title = 'My account · Playbill console';
  const refresh = el('button', { type: 'button', class: 'secondary', id: 'refresh-account' }, 'Refresh');
  const summary = card('Balance', { id: 'account' });
  const left = card('Playtime left at the current prices', { id: 'playtime-left' });
  const sessions = card('Sessions', { id: 'sessions' });
  const statement = card('Statement', { id: 'statement' });
  const bodies = [summary, left, sessions, statement].map((section) => {
    const body = el('div', { 'aria-live': 'polite' });
    section.append(body);
    return body;
  });
  show(main, el('h1', {}, 'My account'), el('p', {}, `Signed in as ${user.id}. `, refresh),
    el('div', { class: 'grid' }, summary, left), sessions, statement);
  focusHeading(main);

  const load = async () => {
    bodies.forEach((body) => show(body, loading()));
    const [account, prices] = await Promise.all([
      api('/api/me/account').catch((e) => e),
      allItems('/api/me/prices').catch((e) => e),
    ]);
    if (account instanceof Error) {
      show(bodies[0], errorBox(account));
      show(bodies[1], errorBox(account));
    } else {
      show(bodies[0], accountFigures(account, 'me'));
      show(bodies[1], prices instanceof Error ? errorBox(prices) : playtimeLeft(account.balance, prices.items));
    }
    await Promise.all([
      allItems('/api/me/sessions', 500)
        .then(({ items }) => show(bodies[2], sessionsTable(items, 'Your sessions, newest first'),
          csvButton('/api/me/sessions', 'my-sessions.csv')))
        .catch((e) => show(bodies[2], errorBox(e))),
      lastItems('/api/me/statement', STATEMENT_LINES)
        .then((statement) => show(bodies[3], statementShortened(statement), statementTable(statement.items,
          'Your statement, oldest first, with the running balance'), statementCsvButton('/api/me/statement',
            'my-statement.csv')))
        .catch((e) => show(bodies[3], errorBox(e))),
    ]);
  };
  refresh.addEventListener('click', () => busy(refresh, load));
  load();
}

function playtimeLeft(balance, prices) {
  if (prices.length === 0) {
    return empty('No queue has a price yet.');
  }
  return el('div', {},
    table([
      { label: 'Queue', value: (p) => p.queue },
      { label: 'Price / min', value: (p) => p.pricePerMinute, numeric: true },
      {
        label: 'Playtime left',
        value: (p) => playtimeFor(balance, p.pricePerMinute),
        render: (p) => {
          const seconds = playtimeFor(balance, p.pricePerMinute);
          return seconds === null ? 'unlimited (free)'
            : el('span', { dataset: { value: String(seconds) } }, formatDuration(seconds));
        },
      },
    ], prices, { caption: 'What your balance pays for on each queue', id: 'playtime-left-table' }),
    el('p', { class: 'hint' }, 'About: billing counts whole seconds, and prices may change.'));
}
