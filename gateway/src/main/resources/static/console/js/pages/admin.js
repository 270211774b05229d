// Admin: money on accounts (role admin or finance), prices with their history, audits, replays and parked cloud
// stops (role admin).

import { allItems, api, downloadCsv } from '../api.js';
import {
  busy, card, el, empty, errorBox, field, focusHeading, formatTime, loading, num, okBox, select, show, table, warnBox,
} from '../ui.js';
import { csvButton } from './account.js';

export function adminPage(main, user) {
  document.title = 'Admin · Playbill console';
  const isAdmin = user.roles.includes('admin');
  const sections = [moneySection(user)];
  if (isAdmin) {
    sections.push(pricesSection(), auditSection(), replaysSection(), parkedSection());
  } else {
    sections.push(el('p', { class: 'hint' }, 'Prices, audits, replays and cloud stops need the role admin.'));
  }
  show(main, el('h1', {}, 'Admin'), sections);
  focusHeading(main);
}

/**
 * A suggested reference nobody else has: two tabs opened in the same second once suggested the same one, and the
 * ledger took the second payment for a repeat of the first. Kept after an answer, so a second click is one payment.
 * (crypto.getRandomValues, not randomUUID: the console may be served over plain http on a LAN in dev mode.)
 */
function newReference(kind) {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0'));
  return `console-${kind}-${random.join('')}`;
}

/**
 * What the money form keeps for this tab, per signed-in user, in sessionStorage: the answers it got, and the requests
 * whose outcome is unknown (see outcomeUnknown: the ledger may have applied them). The form is drawn again on every
 * visit to this page; drawn with a fresh reference, a retry sent after a look at the Finance page was a second
 * payment. It offers such a request again, reference and all, until an answer to that same request settles it: an
 * answer to another request under the same reference (the operation changed meanwhile) says nothing of it.
 */
function moneyMemory(userId) {
  const key = `playbill.console.money.${userId}`;
  const read = () => {
    try {
      const kept = JSON.parse(sessionStorage.getItem(key) || 'null');
      return kept && Array.isArray(kept.answers) && Array.isArray(kept.unknown) ? kept : { answers: [], unknown: [] };
    } catch (e) {
      return { answers: [], unknown: [] };
    }
  };
  const write = (kept) => sessionStorage.setItem(key, JSON.stringify(kept));
  const same = (a, b) => a.kind === b.kind && a.user === b.user && a.amount === b.amount && a.reference === b.reference
    && (a.reason || '') === (b.reason || '');
  const without = (requests, request) => requests.filter((r) => !same(r, request));
  return {
    answers: () => read().answers,
    /** The requests without an answer yet, newest first. */
    unknown: () => read().unknown,
    sending(request) {
      const kept = read();
      write({ ...kept, unknown: [request, ...without(kept.unknown, request)] });
    },
    /** An answer settles that request; a 2xx one is listed (the newest 100). */
    answered(request, answer) {
      const kept = read();
      kept.unknown = without(kept.unknown, request);
      if (answer) kept.answers = [answer, ...kept.answers].slice(0, 100);
      write(kept);
    },
  };
}

/**
 * Whether a failed send leaves its request's outcome unknown: no answer reached the console, a 5xx, or an answer
 * that says nothing about the request (401: signed out or the token expired; 408; 429). Any other 4xx refuses the
 * request itself, and so the earlier sends of the same request too.
 */
function outcomeUnknown(error) {
  return !error || !error.status || error.status >= 500 || [401, 408, 429].includes(error.status);
}

function moneySection(signedIn) {
  const memory = moneyMemory(signedIn.id);
  const section = card('Deposit, refund or adjust', { id: 'money-form' });
  const operation = select('Operation', [['deposits', 'Deposit'], ['refunds', 'Refund'], ['adjustments', 'Adjustment']],
    { name: 'operation', id: 'money-operation' });
  const user = field('User id', 'input', { name: 'user', id: 'money-user', required: true,
    maxlength: 64, autocomplete: 'off' });
  const amount = field('Amount (minor units)', 'input', { name: 'amount', id: 'money-amount', type: 'number',
    required: true, step: '1', inputmode: 'numeric' }, 'Deposits and refunds are positive; an adjustment may be negative.');
  const reference = field('Reference', 'input', { name: 'reference', id: 'money-reference', required: true,
    pattern: '[A-Za-z0-9._:\\-]{1,64}', autocomplete: 'off', value: newReference('deposit') },
  'The payment\'s id, e.g. from the payment provider. The same reference again is applied once and answered the same.');
  const reason = field('Reason', 'input', { name: 'reason', id: 'money-reason', maxlength: '200', autocomplete: 'off' },
    'Required for refunds and adjustments.');
  const submit = el('button', { type: 'submit', id: 'money-submit' }, 'Send');
  const form = el('form', { class: 'stack', id: 'money' }, operation.field, user.field, amount.field, reference.field,
    reason.field, submit);
  const result = el('div', { id: 'money-result', 'aria-live': 'polite' });
  const history = el('div', { id: 'money-history' });
  section.append(form, result, history);

  const showHistory = () => show(history, table([
    { label: 'Sent (UTC)', value: (a) => formatTime(a.at) },
    { label: 'Operation', value: (a) => a.kind },
    { label: 'User', value: (a) => a.user },
    { label: 'Amount', value: (a) => a.amount, numeric: true },
    { label: 'Reference', value: (a) => a.reference },
    { label: 'Balance after', value: (a) => a.balance, numeric: true },
  ], memory.answers(), { caption: 'Answers in this tab', id: 'money-answers' }));
  const unknownWarning = (request) => warnBox(`The ${request.kind.replace(/s$/, '')} ${request.reference} of `
    + `${request.amount} for ${request.user} got no answer that settles it, so it may or may not have been applied. `
    + 'Send it again as it was (the form holds the latest such request): the ledger applies a reference once.');
  // Set once an answer came: a change of what the form sends then needs a reference of its own, or the ledger would
  // answer the new payment as a repeat of the old one (or refuse it as reference_conflict).
  let answeredReference = null;
  const freshReference = () => {
    reference.input.value = newReference(operation.input.value.replace(/s$/, ''));
    answeredReference = null;
  };
  const unknown = memory.unknown();
  if (memory.answers().length > 0) showHistory();
  if (unknown.length > 0) {
    const [latest] = unknown;
    operation.input.value = latest.kind;
    user.input.value = latest.user;
    amount.input.value = String(latest.amount);
    reference.input.value = latest.reference;
    reason.input.value = latest.reason || '';
    show(result, unknown.map(unknownWarning));
  }

  // A request without an answer keeps its reference, whatever the select does meanwhile.
  operation.input.addEventListener('change', () => {
    if (!memory.unknown().some((r) => r.reference === reference.input.value)) freshReference();
  });
  for (const input of [user.input, amount.input, reason.input]) {
    input.addEventListener('input', () => {
      if (answeredReference !== null && reference.input.value === answeredReference) freshReference();
    });
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const kind = operation.input.value;
    const target = user.input.value.trim();
    const body = { amount: Number(amount.input.value), reference: reference.input.value.trim() };
    if (kind !== 'deposits') body.reason = reason.input.value;
    if (!Number.isInteger(body.amount)) {
      show(result, errorBox({ code: 'invalid_amount', message: 'The amount must be a whole number of minor units.' }));
      return;
    }
    const request = { kind, user: target, amount: body.amount, reference: body.reference, reason: body.reason };
    busy(submit, async () => {
      const earlier = memory.answers().find((a) => a.reference === body.reference && a.kind === kind
        && a.user === target);
      memory.sending(request);
      try {
        const answer = await api(`/api/admin/accounts/${encodeURIComponent(target)}/${kind}`, { method: 'POST', body });
        memory.answered(request, { at: new Date().toISOString(), kind, user: target, amount: body.amount,
          reference: body.reference, balance: answer.balance });
        answeredReference = body.reference;
        show(result, okBox(`${kind.replace(/s$/, '')} ${body.reference} for ${target}: balance after `,
          num(answer.balance, { id: 'money-balance' }),
          earlier ? '. This reference was sent before: the ledger applied it once and answered the same.' : '.'));
      } catch (e) {
        if (outcomeUnknown(e)) {
          show(result, errorBox(e), unknownWarning(request));
        } else {
          memory.answered(request, null);
          show(result, errorBox(e));
        }
      }
      showHistory();
    });
  });
  return section;
}

function pricesSection() {
  const section = card('Prices', { id: 'prices' });
  const queue = field('Queue', 'input', { name: 'queue', id: 'price-queue', required: true,
    pattern: '[A-Za-z0-9._\\-]{1,64}', autocomplete: 'off', list: 'price-queues' });
  const price = field('Price per minute (minor units)', 'input', { name: 'price', id: 'price-value', type: 'number',
    min: '0', step: '1', required: true, inputmode: 'numeric' }, '0 makes the queue free. Applies to playtime granted from now on.');
  const submit = el('button', { type: 'submit' }, 'Set price');
  const form = el('form', { class: 'inline', id: 'price-form' }, queue.field, price.field, submit);
  const result = el('div', { 'aria-live': 'polite' });
  const lists = el('div', { 'aria-live': 'polite' });
  const queues = el('datalist', { id: 'price-queues' });
  section.append(form, queues, result, lists);

  const load = async () => {
    show(lists, loading());
    try {
      const [current, history] = await Promise.all([allItems('/api/me/prices'), allItems('/api/finance/prices', 5000)]);
      queues.replaceChildren(...current.items.map((p) => el('option', { value: p.queue })));
      show(lists,
        table([
          { label: 'Queue', value: (p) => p.queue },
          { label: 'Price / min', value: (p) => p.pricePerMinute, numeric: true },
          { label: 'Since (UTC)', value: (p) => formatTime(p.effectiveFrom) },
        ], current.items, { caption: 'Prices in force', id: 'prices-current', emptyText: 'No queue has a price yet.' }),
        el('h3', {}, 'History'),
        table([
          { label: 'From (UTC)', value: (p) => formatTime(p.effectiveFrom) },
          { label: 'Queue', value: (p) => p.queue },
          { label: 'Price / min', value: (p) => p.pricePerMinute, numeric: true },
          { label: 'Set by', value: (p) => p.setBy },
        ], history.items, { caption: 'Every price set, newest first', id: 'prices-history',
          emptyText: 'No price was ever set.' }),
        csvButton('/api/finance/prices', 'prices.csv'));
    } catch (e) {
      show(lists, errorBox(e));
    }
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(submit, async () => {
      try {
        const answer = await api(`/api/admin/prices/${encodeURIComponent(queue.input.value.trim())}`,
          { method: 'PUT', body: { pricePerMinute: Number(price.input.value) } });
        show(result, okBox(`${answer.queue} now costs `, num(answer.pricePerMinute), ' per minute.'));
        // The price history is a projection of the ledger's events: give it a moment to arrive.
        setTimeout(() => { if (section.isConnected) load(); }, 1000);
      } catch (e) {
        show(result, errorBox(e));
      }
    });
  });
  load();
  return section;
}

function auditSection() {
  const section = card('Audit', { id: 'audit' });
  const user = field('User id', 'input', { name: 'user', id: 'audit-user', maxlength: 64,
    autocomplete: 'off' }, 'Empty: every account.');
  const asOf = field('As of (UTC)', 'input', { name: 'asOf', id: 'audit-as-of', type: 'datetime-local', step: '1' },
    'Empty: every event.');
  const submit = el('button', { type: 'submit' }, 'Run audit');
  const form = el('form', { class: 'inline', id: 'audit-form' }, user.field, asOf.field, submit);
  const result = el('div', { 'aria-live': 'polite', id: 'audit-result' });
  section.append(el('p', { class: 'hint' }, 'Recomputes balances from the event store and the topic and compares '
    + 'them with the read models.'), form, result);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (user.input.value.trim()) params.set('user', user.input.value.trim());
    if (asOf.input.value) params.set('asOf', `${asOf.input.value.length === 16 ? `${asOf.input.value}:00` : asOf.input.value}Z`);
    busy(submit, async () => {
      try {
        let run = await api(`/api/admin/audits${params.toString() ? `?${params}` : ''}`, { method: 'POST' });
        show(result, loading(`Audit ${run.id} running…`));
        while (run.status === 'running') {
          await new Promise((resolve) => { setTimeout(resolve, 1000); });
          if (!section.isConnected) return; // followed while shown: not after sign-out or on another page
          run = await api(`/api/admin/audits/${encodeURIComponent(run.id)}`);
        }
        show(result, auditReport(run));
      } catch (e) {
        show(result, errorBox(e));
      }
    });
  });
  return section;
}

function auditReport(run) {
  if (run.status === 'failed') {
    return errorBox({ code: 'audit_failed', message: run.error || 'The audit failed.' });
  }
  const report = run.report;
  const findings = report.findings || [];
  const download = el('button', { type: 'button', class: 'secondary' }, 'Download CSV');
  download.addEventListener('click', () => downloadCsv(['kind', 'category', 'user', 'projection', 'sequence', 'message'],
    findings.map((f) => [f.kind, f.category, f.user, f.projection, f.sequence, f.message]), `audit-${run.id}.csv`));
  return el('div', {},
    auditVerdict(report),
    el('dl', { class: 'figures' },
      el('div', {}, el('dt', {}, 'Accounts checked'), el('dd', {}, num(report.accountsChecked))),
      el('div', {}, el('dt', {}, 'Events in the store'), el('dd', {}, num(report.storeEvents))),
      el('div', {}, el('dt', {}, 'Records on the topic'), el('dd', {}, num(report.topicRecords))),
      el('div', {}, el('dt', {}, report.balance === null ? 'Liability' : 'Balance'),
        el('dd', {}, num(report.balance === null ? report.liability : report.balance)))),
    (report.notes || []).map((note) => el('p', { class: 'hint' }, note)),
    table([
      { label: 'Kind', value: (f) => f.kind },
      { label: 'Category', value: (f) => f.category },
      { label: 'User', value: (f) => f.user ?? '' },
      { label: 'Projection', value: (f) => f.projection ?? '' },
      { label: 'Sequence', value: (f) => f.sequence, numeric: true },
      { label: 'Message', value: (f) => f.message },
    ], findings, { caption: `Findings of audit ${run.id}`, emptyText: 'No findings.' }),
    report.findingsTruncated ? el('p', { class: 'hint' }, 'Only the first findings are listed.') : null,
    findings.length ? el('div', { class: 'actions' }, download) : null);
}

/**
 * As ./playbill audit says it: clean only when every comparison was made (a busy ledger leaves the totals out), and
 * which read models had not caught up with the topic when the audit began.
 */
function auditVerdict(report) {
  const behind = Object.entries(report.projections || {}).filter(([, p]) => !p.caughtUp)
    .map(([name, p]) => `${name}: ${p.eventsBehind} events behind`);
  let verdict;
  if (!report.clean) {
    verdict = errorBox({ code: 'findings', message: `${report.findingCount} finding(s).` });
  } else if (report.complete === false) {
    verdict = warnBox('No findings, but not every comparison was made (see the notes): audit again while the ledger '
      + 'is quiet for a complete one.');
  } else {
    verdict = okBox('Clean: no findings.');
  }
  return [verdict, behind.length ? el('p', { class: 'hint' }, `Read models behind the topic when the audit began: `
    + `${behind.join('; ')}.`) : null];
}

function replaysSection() {
  const section = card('Replays', { id: 'replays' });
  const body = el('div', { 'aria-live': 'polite' });
  section.append(el('p', { class: 'hint' }, 'A replay rebuilds one read model from the ledger-events topic while the '
    + 'live one keeps answering, then swaps it in.'), body);
  let timer = null;
  const load = async () => {
    clearTimeout(timer);
    try {
      const replays = await api('/api/admin/replays');
      show(body, table([
        { label: 'Projection', value: (r) => r.projection },
        { label: 'Status', value: (r) => r.status },
        {
          label: 'Progress',
          value: (r) => `${r.eventsDone}/${r.eventsTotal}`,
          render: (r) => el('span', {}, el('progress', { max: String(Math.max(1, r.eventsTotal)),
            value: String(r.eventsDone), 'aria-label': `${r.projection}: ${r.eventsDone} of ${r.eventsTotal} events` }),
          ` ${r.eventsDone} / ${r.eventsTotal}`),
        },
        { label: 'Events / s', value: (r) => Math.round(r.eventsPerSecond), numeric: true },
        { label: 'ETA (s)', value: (r) => r.etaSeconds, numeric: true },
        { label: 'Finished (UTC)', value: (r) => formatTime(r.finishedAt) },
        { label: 'Error', value: (r) => r.error ?? '' },
        {
          label: 'Action',
          value: () => '',
          render: (r) => {
            const button = el('button', { type: 'button', class: 'secondary',
              disabled: r.status === 'running' || r.status === 'swapping' }, `Rebuild ${r.projection}`);
            button.addEventListener('click', () => {
              if (!window.confirm(`Rebuild the ${r.projection} read model from the topic?`)) return;
              busy(button, () => api(`/api/admin/replays/${encodeURIComponent(r.projection)}`, { method: 'POST' })
                .then(load).catch((e) => show(body, errorBox(e))));
            });
            return button;
          },
        },
      ], replays, { caption: 'Read models', id: 'replays-table', emptyText: 'No projections.' }));
      // Refreshed while the page shows it: a poller stops after sign-out or on another page (a later visit has its own).
      clearTimeout(timer);
      if (section.isConnected && replays.some((r) => r.status === 'running' || r.status === 'swapping')) {
        timer = setTimeout(() => { if (section.isConnected) load(); }, 1000);
      }
    } catch (e) {
      show(body, errorBox(e));
    }
  };
  load();
  return section;
}

function parkedSection() {
  const section = card('Parked cloud stops', { id: 'parked' });
  const body = el('div', { 'aria-live': 'polite' });
  section.append(el('p', { class: 'hint' }, 'Ended sessions whose cloud game GS did not confirm stopped after every '
    + 'retry. Retry once the cause is fixed.'), body);
  const load = async () => {
    show(body, loading());
    try {
      const { items } = await allItems('/api/admin/cloud/stops?result=parked', 2000);
      const download = el('button', { type: 'button', class: 'secondary' }, 'Download CSV');
      download.addEventListener('click', () => downloadCsv(
        ['id', 'userId', 'session', 'reason', 'ledgerEventAt', 'attempts', 'lastError'],
        items.map((s) => [s.id, s.userId, s.session, s.reason, s.ledgerEventAt, s.attempts, s.lastError]),
        'parked-stops.csv'));
      show(body, table([
        { label: 'Id', value: (s) => s.id, numeric: true },
        { label: 'User', value: (s) => s.userId },
        { label: 'Session', value: (s) => s.session },
        { label: 'Reason', value: (s) => s.reason },
        { label: 'Ended (UTC)', value: (s) => formatTime(s.ledgerEventAt) },
        { label: 'Attempts', value: (s) => s.attempts, numeric: true },
        { label: 'Last error', value: (s) => s.lastError ?? '' },
        {
          label: 'Action',
          value: () => '',
          render: (s) => {
            const button = el('button', { type: 'button', class: 'secondary' }, `Retry stop ${s.id}`);
            button.addEventListener('click', () => busy(button, () => api(`/api/admin/cloud/stops/${s.id}/retry`,
              { method: 'POST' }).then(load).catch((e) => show(body, errorBox(e)))));
            return button;
          },
        },
      ], items, { caption: 'Parked stops, newest first', emptyText: 'No parked cloud stops.' }),
      items.length ? el('div', { class: 'actions' }, download) : null);
    } catch (e) {
      show(body, e.status === 404 ? empty('Cloud games are not enabled on this gateway.') : errorBox(e));
    }
  };
  load();
  return section;
}
