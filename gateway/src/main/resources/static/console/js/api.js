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
export async function api(path, { method = 'GET', body, accept = 'application/json' } = {}) {
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
  if (accept === 'text/csv') return text;
  return text ? JSON.parse(text) : null;
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
 * The last `max` items of a paged list that is oldest first, such as a statement: its newest lines, with the list's
 * total, so that a long list is shortened at its old end, not cut before its latest lines.
 */
export async function lastItems(path, max) {
  const separator = path.includes('?') ? '&' : '?';
  const size = 500;
  const first = await api(`${path}${separator}size=${size}&page=0`);
  if (first.total <= size) {
    return { items: first.items.slice(Math.max(0, first.items.length - max)), total: first.total };
  }
  const from = Math.max(0, first.total - max);
  const items = [];
  for (let page = Math.floor(from / size); page * size < first.total; page += 1) {
    const answer = page === 0 ? first : await api(`${path}${separator}size=${size}&page=${page}`);
    items.push(...answer.items);
    if (answer.items.length < size) break;
  }
  return { items: items.slice(Math.max(0, items.length - max)), total: first.total };
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
      return await api(path, options);
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
 * so the pages are fetched in turn, until one is not full, and joined under one header row.
 */
export async function downloadApiCsv(path, filename) {
  const separator = path.includes('?') ? '&' : '?';
  const size = 500;
  let csv = '';
  for (let page = 0; ; page += 1) {
    const part = await apiWaitingOutLimits(`${path}${separator}size=${size}&page=${page}`, { accept: 'text/csv' });
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
