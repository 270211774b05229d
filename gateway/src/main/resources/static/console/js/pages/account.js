// An account and its statement: the player's own page and the finance user lookup show the same.

import { downloadApiCsv } from '../api.js';
import { busy, el, formatDuration, formatNumber, formatTime, num, table, warnBox } from '../ui.js';

/**
 * The most statement lines a page shows: the latest ones, read newest first in one request, the API's largest
 * answer (the CSV has them all).
 */
export const STATEMENT_LINES = 500;

/** Says so when a statement ({items, more}, as lastItems answers) has older lines than those shown. */
export function statementShortened(statement) {
  return statement.more
    ? warnBox(`The latest ${formatNumber(statement.items.length)} lines are shown; `
      + 'download the CSV for the whole statement.')
    : null;
}

/** Playtime a balance buys at a price per minute, rounded down like under-billing (null = free). */
export function playtimeFor(balance, pricePerMinute) {
  if (pricePerMinute <= 0) return null;
  return Math.floor((balance * 60) / pricePerMinute);
}

/** Balance, playtime and active sessions as big figures. idPrefix names them for people's bookmarks and tests. */
export function accountFigures(account, idPrefix) {
  return el('dl', { class: 'figures' },
    el('div', {}, el('dt', {}, 'Balance'), el('dd', {}, num(account.balance, { id: `${idPrefix}-balance` }))),
    el('div', {}, el('dt', {}, 'Playtime billed'), el('dd', { id: `${idPrefix}-playtime`,
      dataset: { value: String(account.playtimeSeconds) } }, formatDuration(account.playtimeSeconds))),
    el('div', {}, el('dt', {}, 'Active sessions'), el('dd', {}, num(account.activeSessions,
      { id: `${idPrefix}-active` }))));
}

export function statementTable(items, caption) {
  return table([
    { label: '#', value: (l) => l.sequence, numeric: true },
    { label: 'Time (UTC)', value: (l) => formatTime(l.occurredAt) },
    { label: 'Kind', value: (l) => l.kind },
    { label: 'Amount', value: (l) => l.amount, numeric: true },
    { label: 'Balance after', value: (l) => l.balanceAfter, numeric: true },
    { label: 'Reference', value: (l) => l.reference ?? '' },
    { label: 'Reason', value: (l) => l.reason ?? '' },
    { label: 'Session', value: (l) => l.session ?? '' },
    { label: 'Queue', value: (l) => l.queue ?? '' },
    { label: 'Seconds', value: (l) => l.seconds, numeric: true },
  ], items, { caption, emptyText: 'No deposits, charges, refunds or adjustments yet.' });
}

export function sessionsTable(items, caption, { withUser = false, emptyText = 'No sessions yet.' } = {}) {
  return table([
    ...(withUser ? [{ label: 'User', value: (s) => s.userId }] : []),
    { label: 'Session', value: (s) => s.sessionId },
    { label: 'Queue', value: (s) => s.queue },
    { label: 'Status', value: (s) => s.status + (s.endReason ? ` (${s.endReason})` : '') },
    { label: 'Authorized (UTC)', value: (s) => formatTime(s.authorizedAt) },
    { label: 'Ended (UTC)', value: (s) => formatTime(s.endedAt) },
    { label: 'Billed', value: (s) => formatDuration(s.billedSeconds) },
    { label: 'Charged', value: (s) => s.chargedAmount, numeric: true },
    { label: 'Price / min', value: (s) => s.pricePerMinute, numeric: true },
  ], items, { caption, emptyText });
}

/** A "Download CSV" button for a list the API answers as CSV (`keyset`: a statement, read by cursor). */
export function csvButton(path, filename, label = 'Download CSV', { keyset = false } = {}) {
  const button = el('button', { type: 'button', class: 'secondary', dataset: { csv: filename } }, label);
  button.addEventListener('click', () => busy(button, () => downloadApiCsv(path, filename, { keyset }))
    .catch((e) => button.after(el('span', { class: 'error', role: 'alert' }, `${e.code}: ${e.message}`))));
  return el('div', { class: 'actions' }, button);
}

/** The "Download CSV" button of a statement: the whole statement, oldest first, read by cursor. */
export function statementCsvButton(path, filename) {
  return csvButton(path, filename, 'Download CSV', { keyset: true });
}
