// Calls to the gateway's API with the user token. Errors carry the API's {"error":{code,message}}.

import { storedToken } from './auth.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * JSON (or CSV text with accept: 'text/csv'); throws ApiError. A 401 to the token still kept tells the app to sign in
 * again. A page left behind (signed out, or signed in anew meanwhile) neither calls without a token nor redraws the
 * sign-in page, which would wipe what someone is typing there.
 */
export async function api(path, options = {}) {
  return (await apiResponse(path, options)).body;
}

/** As api(), with the answer's headers: { body, headers }. */
async function apiResponse(path, { method = 'GET', body, accept = 'application/json' } = {}) {
  const headers = { Accept: accept };
  const token = storedToken();
  if (!token) throw new ApiError(401, 'unauthorized', 'Not signed in.');
  headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, 'network_error', `The gateway could not be reached (${e.message}).`);
  }
  if (!response.ok) {
    let code = `http_${response.status}`;
    let message = response.statusText || 'The request failed.';
    try {
      const error = (await response.json()).error;
      if (error) ({ code, message } = error);
    } catch (e) {
      // Not the API's JSON error (e.g. a proxy's page): keep the status.
    }
    const error = new ApiError(response.status, code, message);
    error.retryAfter = Number(response.headers.get('Retry-After')) || null; // seconds, as the gateway sends it
    if (response.status === 401 && token === storedToken()) {
      document.dispatchEvent(new CustomEvent('console:unauthorized', { detail: error }));
    }
    throw error;
  }
  const text = await response.text();
  if (accept === 'text/csv') return { body: text, headers: response.headers };
  return { body: text ? JSON.parse(text) : null, headers: response.headers };
}

/** Runs tasks (functions returning promises) at most `limit` at a time, keeping their order in the result. */
export async function inBatches(tasks, limit = 4) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/** Every item of a paged list ({items,total}), page by page (at most `max` items). */
export async function allItems(path, max = 10000) {
  const separator = path.includes('?') ? '&' : '?';
  const items = [];
  for (let page = 0; ; page += 1) {
    const answer = await api(`${path}${separator}size=500&page=${page}`);
    items.push(...answer.items);
    if (answer.items.length < 500 || items.length >= answer.total || items.length >= max) {
      return { items, total: answer.total };
    }
  }
}

/**
 * The newest `max` lines of a statement, oldest first as a statement reads, and whether it has older ones (`more`):
 * read newest first by keyset (order=desc, following `next`), so that each answer is one short index read however
 * long the history, and `max` up to 500 is one request.
 */
export async function lastItems(path, max) {
  const separator = path.includes('?') ? '&' : '?';
  const items = [];
  let after = null;
  while (items.length < max) {
    const size = Math.min(500, max - items.length);
    const cursor = after === null ? '' : `&after=${encodeURIComponent(after)}`;
    const answer = await api(`${path}${separator}order=desc&size=${size}${cursor}`);
    items.push(...answer.items);
    after = answer.next || null;
    if (after === null) break;
  }
  return { items: items.reverse(), more: after !== null };
}

function saveFile(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

/**
 * A GET that waits out 429s: players may make 10 calls a second (burst 20), so a long download runs into the limit;
 * it waits the answer's Retry-After (at most 10 s, at most 5 times in a row) and asks again.
 */
async function apiWaitingOutLimits(path, options) {
  for (let waits = 0; ; waits += 1) {
    try {
      return await apiResponse(path, options);
    } catch (e) {
      if (e.status !== 429 || waits >= 5) throw e;
      const seconds = Math.min(Math.max(e.retryAfter || 1, 1), 10);
      await new Promise((resolve) => { setTimeout(resolve, seconds * 1000); });
    }
  }
}

/** The rows of a CSV text, header included (a quoted field may hold a line break: only those outside quotes end one). */
function csvRows(text) {
  let quoted = false;
  let rows = 0;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === '\n' && !quoted) rows += 1;
  }
  return rows;
}

/**
 * Downloads the API's own CSV of a list (Accept: text/csv), every page of it: the API answers one page at a time,
 * so the pages are fetched in turn, until one is not full, and joined under one header row. With `keyset` (a
 * statement), oldest first by cursor instead: each answer's Next-After header is the next one's `after`, so that
 * every answer is one short index read and a long history costs what it returns, not a count and an offset each.
 */
export async function downloadApiCsv(path, filename, { keyset = false } = {}) {
  const separator = path.includes('?') ? '&' : '?';
  const size = 500;
  let csv = '';
  if (keyset) {
    let after = null;
    do {
      const cursor = after === null ? '' : `&after=${encodeURIComponent(after)}`;
      const part = await apiWaitingOutLimits(`${path}${separator}order=asc&size=${size}${cursor}`,
        { accept: 'text/csv' });
      csv += after === null ? part.body : part.body.slice(part.body.indexOf('\r\n') + 2);
      after = part.headers.get('Next-After');
    } while (after !== null);
    saveFile(csv, filename);
    return;
  }
  for (let page = 0; ; page += 1) {
    const part = (await apiWaitingOutLimits(`${path}${separator}size=${size}&page=${page}`,
      { accept: 'text/csv' })).body;
    csv += page === 0 ? part : part.slice(part.indexOf('\r\n') + 2);
    if (csvRows(part) - 1 < size) break;
  }
  saveFile(csv, filename);
}

/** A CSV the console builds itself (for answers the API gives only as JSON), quoted and neutralised as the API's. */
export function downloadCsv(header, rows, filename) {
  const cell = (value) => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return String(value);
    let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [header, ...rows].map((row) => row.map(cell).join(','));
  saveFile(`${lines.join('\r\n')}\r\n`, filename);
}
