// DOM helpers. Text from the API (user ids, references, reasons) only ever goes in as text, never as HTML.

let nextId = 0;

/** A unique element id with a readable prefix. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/**
 * Creates an element. attrs: class, text, dataset, on<event> handlers, and any attribute (true = present,
 * false/null/undefined = absent). Children: nodes or text.
 */
export function el(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const numbers = new Intl.NumberFormat(undefined);

export function formatNumber(value) {
  return value === null || value === undefined ? '' : numbers.format(value);
}

/** A number shown for people, with its exact value in data-value for programs (and tests). */
export function num(value, attrs = {}) {
  return el('span', { class: 'num', dataset: { value: String(value) }, ...attrs }, formatNumber(value));
}

/** 3725 → "1 h 02 min 05 s". */
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined) return '';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min ${String(rest).padStart(2, '0')} s`;
  if (m > 0) return `${m} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** An ISO instant as "2030-01-15 10:00:05" (UTC). */
export function formatTime(iso) {
  if (!iso) return '';
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');
}

/** A card section with a heading; returns [section, body] where body is the section itself. */
export function card(title, { id, level = 'h2' } = {}) {
  const headingId = id ? `${id}-title` : uid('card');
  const section = el('section', { class: 'card', 'aria-labelledby': headingId, id });
  section.append(el(level, { id: headingId }, title));
  return section;
}

export function loading(text = 'Loading…') {
  return el('p', { class: 'loading', role: 'status' }, text);
}

/** An error from the API (or anything else) shown in its place: code and message, announced. */
export function errorBox(error) {
  const code = error && error.code ? error.code : 'error';
  const message = error && error.message ? error.message : String(error);
  return el('div', { class: 'error', role: 'alert' }, el('code', {}, code), ': ', message);
}

export function okBox(...children) {
  return el('div', { class: 'ok', role: 'status' }, ...children);
}

/** Something the reader must not miss that is not an error: an incomplete result, a shortened list. */
export function warnBox(...children) {
  return el('div', { class: 'warn', role: 'status' }, ...children);
}

export function empty(text) {
  return el('p', { class: 'empty' }, text);
}

/** Replaces the content of a container. */
export function show(container, ...children) {
  container.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}

/**
 * A data table, scrollable on its own on narrow screens (and by keyboard). columns: [{label, value(row), numeric,
 * render(row)}]. With no rows, the empty-state text instead.
 */
export function table(columns, rows, { caption, emptyText = 'Nothing to show.', id } = {}) {
  if (!rows || rows.length === 0) {
    return empty(emptyText);
  }
  const captionId = uid('caption');
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)));
  const body = rows.map((row) => el('tr', {}, columns.map((c, i) => {
    const content = c.render ? c.render(row) : (c.numeric ? num(c.value(row)) : String(c.value(row) ?? ''));
    return el(i === 0 ? 'th' : 'td', { scope: i === 0 ? 'row' : null, class: c.numeric ? 'num' : null }, content);
  })));
  return el('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': captionId, tabindex: '0' },
    el('table', { id }, el('caption', { id: captionId }, caption || ''), el('thead', {}, head), el('tbody', {}, body)));
}

/** A labelled form field. input attrs get an id; returns {field, input}. */
export function field(label, tag, attrs = {}, hint) {
  const id = attrs.id || uid('field');
  const hintId = hint ? `${id}-hint` : null;
  const input = el(tag, { ...attrs, id, 'aria-describedby': hintId });
  const wrapper = el('div', { class: 'field' }, el('label', { for: id }, label), input,
    hint ? el('span', { class: 'hint', id: hintId }, hint) : null);
  return { field: wrapper, input };
}

/** A select with options [value, label]. */
export function select(label, options, attrs = {}) {
  const { field: wrapper, input } = field(label, 'select', attrs);
  options.forEach(([value, text]) => input.append(el('option', { value }, text)));
  return { field: wrapper, input };
}

/** Runs an async action from a button: disabled while it runs, so a click is never sent twice by accident. */
export async function busy(button, action) {
  button.disabled = true;
  try {
    return await action();
  } finally {
    button.disabled = false;
  }
}

/** Today's date in UTC as YYYY-MM-DD, shifted by days. */
export function utcDate(shiftDays = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + shiftDays);
  return d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus days. */
export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Moves keyboard focus to a page's heading after navigation, so screen readers announce the new page. */
export function focusHeading(container) {
  const heading = container.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}
