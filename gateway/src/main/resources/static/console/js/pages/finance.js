// Finance (role finance or admin): revenue and playtime, money movements, prepaid liability, active sessions and a
// user lookup, each with its CSV.

import { allItems, api, downloadCsv, inBatches, lastItems } from '../api.js';
import { barChart, lineChart } from '../charts.js';
import {
  addDays, busy, card, el, empty, errorBox, field, focusHeading, formatDuration, formatNumber, formatTime, loading, num,
  select, show, table, utcDate, warnBox,
} from '../ui.js';
import {
  accountFigures, csvButton, sessionsTable, STATEMENT_LINES, statementCsvButton, statementShortened, statementTable,
} from './account.js';

const MAX_LIABILITY_POINTS = 62;

export function financePage(main) {
  document.title = 'Finance · Playbill console';
  const from = field('From (UTC date)', 'input', { type: 'date', name: 'from', required: true, value: utcDate(-6) });
  const to = field('To, inclusive (UTC date)', 'input', { type: 'date', name: 'to', required: true, value: utcDate() });
  const granularity = select('By', [['day', 'day'], ['hour', 'hour']], { name: 'granularity' });
  const queue = field('Queue', 'input', { name: 'queue', placeholder: 'all queues', list: 'finance-queues',
    pattern: '[A-Za-z0-9._\\-]{1,64}', autocomplete: 'off' });
  const queues = el('datalist', { id: 'finance-queues' });
  const submit = el('button', { type: 'submit' }, 'Show');
  const filters = el('form', { class: 'inline', id: 'finance-filters', 'aria-label': 'Report range' },
    from.field, to.field, granularity.field, queue.field, queues, submit);

  const revenue = card('Revenue and playtime', { id: 'revenue' });
  const money = card('Deposits, refunds and adjustments', { id: 'money' });
  const liability = card('Prepaid liability', { id: 'liability' });
  const active = card('Active sessions', { id: 'active' });
  const lookup = card('User lookup', { id: 'lookup' });
  // Money and balances are not per queue, and the active sessions are those of now: said where it shows.
  const byDayEveryQueue = 'By day and for every queue: By and Queue do not apply here.';
  const parts = [[revenue], [money, byDayEveryQueue], [liability, byDayEveryQueue],
    [active, 'Sessions not over now: the range does not apply here, the queue does.']].map(([section, note]) => {
    const body = el('div', { class: 'body', 'aria-live': 'polite' });
    if (note) section.append(el('p', { class: 'hint' }, note));
    section.append(body);
    return body;
  });
  lookupForm(lookup);

  show(main, el('h1', {}, 'Finance'), filters, revenue, money, liability, active, lookup);
  focusHeading(main);

  // Each load is numbered: a section shows only the answers of the latest one (and none once the page is left), so
  // a slow earlier range never overwrites a newer one.
  let loads = 0;
  const load = () => {
    loads += 1;
    const number = loads;
    const isLatest = () => number === loads && filters.isConnected;
    const range = { from: from.input.value, to: to.input.value, granularity: granularity.input.value,
      queue: queue.input.value.trim() };
    if (!range.from || !range.to || range.from > range.to) {
      // No section keeps an earlier range's numbers under a range that is not valid.
      show(parts[0], errorBox({ code: 'invalid_range', message: 'Choose a From date on or before the To date.' }));
      parts.slice(1).forEach((part) => show(part, empty('Not shown: the range above is not valid.')));
      return Promise.resolve();
    }
    return Promise.all([
      loadRevenue(parts[0], range, queues, isLatest),
      loadMoney(parts[1], range, isLatest),
      loadLiability(parts[2], range, isLatest),
      loadActive(parts[3], range, isLatest),
    ]);
  };
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, load);
  });
  busy(submit, load);
}

function query(range) {
  return `from=${range.from}&to=${addDays(range.to, 1)}`;
}

function sum(items, key) {
  return items.reduce((total, item) => total + item[key], 0);
}

function figure(label, id, value, text) {
  return el('div', {}, el('dt', {}, label),
    el('dd', {}, text === undefined ? num(value, { id }) : el('span', { id, dataset: { value: String(value) } }, text)));
}

function periodLabel(iso, granularity) {
  return granularity === 'hour' ? formatTime(iso).slice(0, 16) : iso.slice(0, 10);
}

async function loadRevenue(body, range, queueList, isLatest) {
  show(body, loading());
  const path = `/api/finance/revenue?${query(range)}&granularity=${range.granularity}`
    + (range.queue ? `&queue=${encodeURIComponent(range.queue)}` : '');
  try {
    const { items, total } = await allItems(path);
    if (!isLatest()) return;
    const shortened = items.length < total ? warnBox(`Only the first ${formatNumber(items.length)} of `
      + `${formatNumber(total)} rows are shown and added up here: choose a shorter range or By: day, or download `
      + 'the CSV, which has them all.') : null;
    const figures = el('dl', { class: 'figures' },
      figure('Revenue', 'revenue-total', sum(items, 'revenue')),
      figure('Playtime billed', 'playtime-total', sum(items, 'playtimeSeconds'),
        formatDuration(sum(items, 'playtimeSeconds'))),
      figure('Sessions started', 'sessions-total', sum(items, 'sessions')));
    const csv = csvButton(path, `revenue-${range.from}-${range.to}.csv`);
    if (items.length === 0) {
      show(body, shortened, figures, empty('No revenue or playtime in this range.'), csv);
      return;
    }
    const periods = [...new Set(items.map((i) => i.period))].sort();
    const queues = [...new Set(items.map((i) => i.queue))].sort();
    queues.forEach((q) => {
      if (![...queueList.options].some((o) => o.value === q)) queueList.append(el('option', { value: q }));
    });
    const series = (key, scale = 1) => queues.map((q) => ({
      name: q,
      data: periods.map((p) => {
        const row = items.find((i) => i.period === p && i.queue === q);
        return row ? Math.round((row[key] / scale) * 10) / 10 : 0;
      }),
    }));
    const labels = periods.map((p) => periodLabel(p, range.granularity));
    const revenueChart = el('div', { class: 'chart', id: 'revenue-chart' });
    const playtimeChart = el('div', { class: 'chart', id: 'playtime-chart' });
    show(body, shortened, figures,
      el('div', { class: 'grid' },
        el('figure', {}, el('figcaption', {}, 'Revenue by queue'), revenueChart),
        el('figure', {}, el('figcaption', {}, 'Playtime billed by queue (minutes)'), playtimeChart)),
      table([
        { label: range.granularity === 'hour' ? 'Hour (UTC)' : 'Day (UTC)', value: (r) => periodLabel(r.period, range.granularity) },
        { label: 'Queue', value: (r) => r.queue },
        { label: 'Revenue', value: (r) => r.revenue, numeric: true },
        { label: 'Playtime (s)', value: (r) => r.playtimeSeconds, numeric: true },
        { label: 'Sessions', value: (r) => r.sessions, numeric: true },
      ], items, { caption: 'Revenue and playtime', id: 'revenue-table' }),
      csv);
    barChart(revenueChart, { categories: labels, series: series('revenue'), yName: 'minor units' });
    barChart(playtimeChart, { categories: labels, series: series('playtimeSeconds', 60), yName: 'minutes' });
  } catch (e) {
    if (isLatest()) show(body, errorBox(e));
  }
}

async function loadMoney(body, range, isLatest) {
  show(body, loading());
  const path = `/api/finance/deposits?${query(range)}`;
  try {
    const { items } = await allItems(path);
    if (!isLatest()) return;
    const figures = el('dl', { class: 'figures' },
      figure('Deposited', 'deposits-total', sum(items, 'depositAmount')),
      figure('Refunded', 'refunds-total', sum(items, 'refundAmount')),
      figure('Adjusted', 'adjustments-total', sum(items, 'adjustmentAmount')));
    const csv = csvButton(path, `deposits-${range.from}-${range.to}.csv`);
    if (items.length === 0) {
      show(body, figures, empty('No deposits, refunds or adjustments in this range.'), csv);
      return;
    }
    const chart = el('div', { class: 'chart', id: 'money-chart' });
    show(body, figures, el('figure', {}, el('figcaption', {}, 'Money in and out by day'), chart),
      table([
        { label: 'Day (UTC)', value: (d) => d.day },
        { label: 'Deposits', value: (d) => d.deposits, numeric: true },
        { label: 'Deposited', value: (d) => d.depositAmount, numeric: true },
        { label: 'Refunds', value: (d) => d.refunds, numeric: true },
        { label: 'Refunded', value: (d) => d.refundAmount, numeric: true },
        { label: 'Adjustments', value: (d) => d.adjustments, numeric: true },
        { label: 'Adjusted', value: (d) => d.adjustmentAmount, numeric: true },
      ], items, { caption: 'Deposits, refunds and adjustments by day', id: 'money-table' }),
      csv);
    barChart(chart, {
      categories: items.map((d) => d.day),
      stacked: false,
      series: [
        { name: 'deposited', data: items.map((d) => d.depositAmount) },
        { name: 'refunded', data: items.map((d) => -d.refundAmount) },
        { name: 'adjusted', data: items.map((d) => d.adjustmentAmount) },
      ],
      yName: 'minor units',
    });
  } catch (e) {
    if (isLatest()) show(body, errorBox(e));
  }
}

/** The liability at the end of each day of the range (its last MAX_LIABILITY_POINTS days), and now. */
async function loadLiability(body, range, isLatest) {
  show(body, loading());
  const days = [];
  const earliest = addDays(range.to, 1 - MAX_LIABILITY_POINTS);
  const first = range.from > earliest ? range.from : earliest;
  for (let day = first; day <= range.to; day = addDays(day, 1)) {
    days.push(day);
  }
  const shortened = first > range.from ? warnBox(`Only the last ${MAX_LIABILITY_POINTS} days of the range are `
    + `shown here, from ${first}: choose a shorter range to see earlier days.`) : null;
  const now = new Date().toISOString();
  try {
    const [current, ...points] = await inBatches([
      () => api('/api/finance/liability'),
      ...days.map((day) => () => {
        if (!isLatest()) return null; // no more calls for a range nobody looks at
        // asOf is inclusive: the last millisecond of the day, so that an event at midnight counts for the next
        // day, as revenue and deposits count it.
        const endOfDay = `${day}T23:59:59.999Z`;
        return api(`/api/finance/liability?asOf=${encodeURIComponent(endOfDay < now ? endOfDay : now)}`);
      }),
    ]);
    if (!isLatest()) return;
    const rows = points.map((point, i) => ({ day: days[i], asOf: point.asOf, liability: point.liability }));
    const chart = el('div', { class: 'chart', id: 'liability-chart' });
    const download = el('button', { type: 'button', class: 'secondary' }, 'Download CSV');
    download.addEventListener('click', () => downloadCsv(['asOf', 'liability'],
      rows.map((r) => [r.asOf, r.liability]), `liability-${first}-${range.to}.csv`));
    show(body, shortened,
      el('dl', { class: 'figures' }, figure('Liability now', 'liability-now', current.liability)),
      el('p', { class: 'hint' }, 'The sum of every prepaid balance: money players paid and have not played yet.'),
      el('figure', {}, el('figcaption', {}, 'Liability at the end of each day'), chart),
      table([
        { label: 'As of (UTC)', value: (r) => formatTime(r.asOf) },
        { label: 'Liability', value: (r) => r.liability, numeric: true },
      ], rows, { caption: 'Prepaid liability over time', id: 'liability-table' }),
      el('div', { class: 'actions' }, download));
    lineChart(chart, { categories: rows.map((r) => r.day), name: 'liability', data: rows.map((r) => r.liability),
      yName: 'minor units' });
  } catch (e) {
    if (isLatest()) show(body, errorBox(e));
  }
}

async function loadActive(body, range, isLatest) {
  show(body, loading());
  const path = `/api/finance/sessions/active${range.queue ? `?queue=${encodeURIComponent(range.queue)}` : ''}`;
  try {
    const { items, total } = await allItems(path, 2000);
    if (!isLatest()) return;
    show(body,
      el('dl', { class: 'figures' }, figure('Active now', 'active-total', total)),
      sessionsTable(items, 'Sessions not over, oldest first', { withUser: true,
        emptyText: 'No active sessions right now.' }),
      csvButton(path, 'active-sessions.csv'));
  } catch (e) {
    if (isLatest()) show(body, errorBox(e));
  }
}

function lookupForm(section) {
  const user = field('User id', 'input', { name: 'user', required: true, maxlength: 64,
    autocomplete: 'off' });
  const submit = el('button', { type: 'submit' }, 'Look up');
  const form = el('form', { class: 'inline', id: 'lookup-form', 'aria-label': 'User lookup' }, user.field, submit);
  const result = el('div', { 'aria-live': 'polite' });
  section.append(form, result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = user.input.value.trim();
    if (!id) {
      show(result, errorBox({ code: 'invalid_user_id', message: 'Enter a user id.' }));
      return;
    }
    busy(submit, async () => {
      show(result, loading());
      const base = `/api/finance/users/${encodeURIComponent(id)}`;
      try {
        const [account, statement] = await Promise.all([api(`${base}/account`),
          lastItems(`${base}/statement`, STATEMENT_LINES)]);
        show(result, el('h3', {}, `Account of ${account.userId}`), accountFigures(account, 'lookup'),
          statementShortened(statement),
          statementTable(statement.items, `Statement of ${account.userId}, oldest first, with the running balance`),
          statementCsvButton(`${base}/statement`, `statement-${id}.csv`));
      } catch (e) {
        show(result, errorBox(e));
      }
    });
  });
}
