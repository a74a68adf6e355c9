// ocireg web UI: a single page over the JSON API next to it (api/...), with hash routing.
// Everything the registry returns (names, tags, annotations, labels) is hostile: it only ever
// reaches the page as text nodes (textContent), never as markup, attribute names or URLs other
// than our own "#/..." routes. All URLs are relative, so the page works under any context path.

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;
const RECHECK_DELAY_MS = 2000;

const mainEl = document.getElementById('main');
const errorEl = document.getElementById('error');
const noticeEl = document.getElementById('notice');

let session = { user: null, canAdmin: false, gcAvailable: false, deletesEnabled: true };
// Bumped on every navigation: an answer for a page that is no longer shown is dropped.
let generation = 0;

// ---------------------------------------------------------------- DOM helpers

/** Creates an element; children that are not nodes become text nodes. */
function el(tag, props, ...children) {
  const e = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') e.className = value;
      else if (key === 'test') e.dataset.test = value;
      else if (key === 'text') e.textContent = String(value);
      else if (key === 'onclick') e.addEventListener('click', value);
      else e.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(e, children);
  return e;
}

function append(parent, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    parent.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return parent;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

// ---------------------------------------------------------------- formatting

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** Decimal units (1 KB = 1000 B) with one decimal, bytes as a whole number. */
export function humanSize(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1000) return `${bytes} B`;
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${UNITS[i]}`;
}

function pad(n) {
  return String(n).padStart(2, '0');
}

/** "2026-11-23 10:00:05 UTC": the same on every machine, sortable, unambiguous. */
export function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
  );
}

function ago(iso) {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return '';
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} days ago`;
}

function sizeEl(bytes, test) {
  return el('span', {
    class: 'size',
    test,
    title: typeof bytes === 'number' ? `${bytes.toLocaleString('en')} bytes` : null,
    text: humanSize(bytes),
  });
}

function timeEl(iso, test) {
  if (!iso) return el('span', { class: 'muted', test, text: '—' });
  const shown = formatTime(iso);
  const cut = shown.indexOf(' ');
  // Date and time each stay whole; a narrow column breaks between them.
  return el(
    'time',
    { test, datetime: iso, title: ago(iso) },
    el('span', { class: 'nowrap', text: shown.slice(0, Math.max(cut, 0)) }),
    cut < 0 ? '' : ' ',
    el('span', { class: 'nowrap', text: shown.slice(cut + 1) }),
  );
}

const KIND_LABELS = { image: 'image', index: 'multi-platform index', artifact: 'artifact' };

function kindEl(kind, artifactType, test) {
  return el(
    'span',
    { class: 'kind', test, 'data-kind': kind || 'unknown' },
    el('span', { class: `badge badge-${KIND_LABELS[kind] ? kind : 'other'}`, text: KIND_LABELS[kind] || kind || '?' }),
    artifactType ? el('span', { class: 'artifact-type mono', test: 'artifact-type', text: artifactType }) : null,
  );
}

// ---------------------------------------------------------------- routes

function repoHref(name) {
  return `#/r/${encodeURIComponent(name)}`;
}

function refHref(name, ref) {
  return `#/r/${encodeURIComponent(name)}/t/${encodeURIComponent(ref)}`;
}

function parseRoute() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter((p) => p !== '');
  const params = new URLSearchParams(query);
  try {
    if (parts[0] === 'r' && parts.length === 2) {
      return { page: 'repo', name: decodeURIComponent(parts[1]) };
    }
    if (parts[0] === 'r' && parts.length === 4 && parts[2] === 't') {
      return { page: 'ref', name: decodeURIComponent(parts[1]), ref: decodeURIComponent(parts[3]) };
    }
  } catch (e) {
    // A malformed escape in a hand-edited URL: fall through to the list.
  }
  return { page: 'list', q: params.get('q') || '' };
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function readError(res) {
  let code = `HTTP ${res.status}`;
  let message = res.statusText || 'request failed';
  try {
    const body = await res.json();
    const first = body && Array.isArray(body.errors) ? body.errors[0] : null;
    if (first) {
      code = first.code || code;
      message = first.message || message;
    }
  } catch (e) {
    // Not JSON: keep the status line.
  }
  if (res.status === 401) {
    message = 'sign-in required: reload the page and enter your registry credentials';
  }
  return new ApiError(res.status, code, message);
}

async function getJson(url) {
  const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw await readError(res);
  return res.json();
}

async function postJson(url, body) {
  // Content-Type application/json and X-Requested-By cannot be sent cross-site without a
  // preflight, which the server never approves: that is the UI's cross-site request protection.
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-Requested-By': 'ocireg', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await readError(res);
  return res.json();
}

// ---------------------------------------------------------------- banners

function showError(err) {
  const text = err instanceof ApiError ? `${err.code}: ${err.message}` : String((err && err.message) || err);
  errorEl.textContent = text;
  errorEl.hidden = false;
}

function clearError() {
  errorEl.textContent = '';
  errorEl.hidden = true;
}

function showNotice(text) {
  noticeEl.textContent = text;
  noticeEl.hidden = false;
}

function clearNotice() {
  noticeEl.textContent = '';
  noticeEl.hidden = true;
}

// ---------------------------------------------------------------- confirmation dialog

const dialog = document.getElementById('confirm');
const confirmText = document.getElementById('confirm-text');
const confirmList = document.getElementById('confirm-list');
const confirmOk = document.getElementById('confirm-ok');
const confirmCancel = document.getElementById('confirm-cancel');
let resolveConfirm = null;

function settleConfirm(answer) {
  const resolve = resolveConfirm;
  resolveConfirm = null;
  if (dialog.open) dialog.close();
  if (resolve) resolve(answer);
}

confirmOk.addEventListener('click', () => settleConfirm(true));
confirmCancel.addEventListener('click', () => settleConfirm(false));
// Escape closes a modal dialog: that is a "no".
dialog.addEventListener('cancel', () => settleConfirm(false));
dialog.addEventListener('close', () => settleConfirm(false));

/** Asks; resolves true only when the OK button was pressed. */
function confirmAction(title, text, items, okLabel) {
  if (resolveConfirm) settleConfirm(false);
  document.getElementById('confirm-title').textContent = title;
  confirmText.textContent = text;
  clear(confirmList);
  for (const item of items || []) confirmList.append(el('li', { class: 'mono', text: item }));
  confirmList.hidden = !items || items.length === 0;
  confirmOk.textContent = okLabel || 'Delete';
  return new Promise((resolve) => {
    resolveConfirm = resolve;
    dialog.showModal();
    confirmCancel.focus();
  });
}

// ---------------------------------------------------------------- copy

async function copyText(text, button) {
  let ok = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      ok = true;
    }
  } catch (e) {
    ok = false;
  }
  if (!ok) {
    // Plain HTTP on a real host name is no secure context: the old way still works there.
    const area = el('textarea', { class: 'offscreen', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    try {
      ok = document.execCommand('copy');
    } catch (e) {
      ok = false;
    }
    area.remove();
  }
  const label = button.textContent;
  button.textContent = ok ? 'Copied' : 'Copy failed';
  button.disabled = true;
  setTimeout(() => {
    button.textContent = label;
    button.disabled = false;
  }, 1500);
}

function copyButton(text) {
  const b = el('button', { type: 'button', class: 'btn btn-small', test: 'copy-digest', title: 'Copy the digest', text: 'Copy' });
  b.dataset.digest = text;
  b.addEventListener('click', () => copyText(text, b));
  return b;
}

function digestEl(digest, test) {
  return el('code', { class: 'digest mono', test, title: digest, text: digest || '—' });
}

// ---------------------------------------------------------------- delete

function canDelete(detail) {
  return Boolean(detail && detail.canDelete) && session.deletesEnabled !== false;
}

async function deleteTag(name, tag, digest) {
  const ok = await confirmAction(
    'Delete tag?',
    `Delete the tag "${tag}" from the repository "${name}". The manifest ${digest || ''} stays, reachable by digest and by any other tag.`,
    [`${name}:${tag}`],
    'Delete tag',
  );
  if (!ok) return false;
  try {
    await postJson('api/delete', { repository: name, tag });
    showNotice(`Deleted the tag ${name}:${tag}.`);
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

// tags: those the page shows (the first ones when the server capped them); total: how many there
// are. The server deletes only if the tags pointing at the manifest are still these (else 409).
async function deleteManifest(name, digest, tags, total) {
  tags = tags || [];
  const count = typeof total === 'number' ? total : tags.length;
  const hidden = count - tags.length;
  const items = [`${name}@${digest}`, ...tags.map((t) => `${name}:${t}`)];
  if (hidden > 0) items.push(`… and ${hidden} more ${hidden === 1 ? 'tag' : 'tags'}`);
  const text =
    count > 0
      ? `Delete the manifest ${digest} from the repository "${name}", together with ${count === 1 ? 'the tag' : `all ${count} tags`} pointing at it. This cannot be undone.`
      : `Delete the manifest ${digest} from the repository "${name}". No tag points at it. This cannot be undone.`;
  const ok = await confirmAction('Delete manifest?', text, items, 'Delete manifest');
  if (!ok) return false;
  try {
    const body = { repository: name, digest, expectTags: tags };
    if (hidden > 0) body.expectTagCount = count;
    const res = await postJson('api/delete', body);
    const removed = res && Array.isArray(res.tagsRemoved) ? res.tagsRemoved : [];
    const removedCount = res && typeof res.tagsRemovedCount === 'number' ? res.tagsRemovedCount : removed.length;
    const rest = removedCount - removed.length;
    showNotice(
      `Deleted ${name}@${digest}` +
        (removed.length ? ` and its tags ${removed.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}.` : '.'),
    );
    return true;
  } catch (e) {
    showError(e);
    return false;
  }
}

// ---------------------------------------------------------------- pages

function breadcrumbs(...parts) {
  const nav = el('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' });
  parts.forEach((p, i) => {
    if (i > 0) nav.append(el('span', { class: 'sep', 'aria-hidden': 'true', text: '/' }));
    nav.append(p.href ? el('a', { href: p.href, text: p.text }) : el('span', { class: 'here', text: p.text }));
  });
  return nav;
}

function loading(text) {
  return el('p', { class: 'muted loading', text: text || 'Loading…' });
}

// ----- repository list

function renderList(route, gen) {
  document.title = 'Repositories · ocireg';
  const search = el('input', {
    id: 'search',
    type: 'search',
    placeholder: 'Search repositories',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-label': 'Search repositories',
  });
  search.value = route.q;
  const count = el('span', { id: 'repo-count', class: 'muted' });
  const list = el('nav', { id: 'repo-list', class: 'rows rows-repos', 'aria-label': 'Repositories' });
  const more = el('button', { id: 'more', type: 'button', class: 'btn more', hidden: true, text: 'More' });
  const status = el('p', { id: 'list-status', class: 'muted' });
  append(mainEl, [
    el('div', { class: 'page-head' }, el('h1', { text: 'Repositories' }), count),
    el('div', { class: 'search-box' }, search),
    el(
      'div',
      { class: 'row row-head', 'aria-hidden': 'true' },
      el('span', { text: 'Name' }),
      el('span', { class: 'num', text: 'Tags' }),
      el('span', { class: 'num', text: 'Size' }),
      el('span', { text: 'Last push' }),
    ),
    list,
    status,
    more,
  ]);

  let query = route.q;
  let next = null;
  let seq = 0;
  let rechecked = false;

  async function load(reset) {
    // "More" after the filter changed (and before its first page came) has nothing to continue.
    if (!reset && !next) return;
    const mine = ++seq;
    const params = new URLSearchParams();
    if (query) params.set('q', query);
    params.set('n', String(PAGE_SIZE));
    if (!reset && next) params.set('last', next);
    more.disabled = true;
    if (reset) status.textContent = 'Loading…';
    try {
      const page = await getJson(`api/repos?${params}`);
      if (gen !== generation || mine !== seq) return;
      clearError();
      if (reset) clear(list);
      for (const r of page.repositories || []) list.append(repoRow(r));
      next = page.next || null;
      more.hidden = !next;
      more.disabled = false;
      if (reset && page.totalExact === false && !rechecked) {
        // A large registry lists from a snapshot that follows pushes within a moment: look once
        // more, unless the reader has moved on (another search, "More", another page).
        rechecked = true;
        setTimeout(() => {
          if (gen === generation && mine === seq) load(true);
        }, RECHECK_DELAY_MS);
      }
      if (typeof page.total === 'number') {
        const approx = page.totalExact === false ? '~' : '';
        count.textContent = `${approx}${page.total.toLocaleString('en')} ${page.total === 1 ? 'repository' : 'repositories'}`;
      }
      if (!list.firstChild) {
        status.textContent = query ? `No repository matches "${query}".` : 'No repositories yet. Push an image to get started.';
      } else {
        status.textContent = '';
      }
      list.setAttribute('aria-busy', 'false');
    } catch (e) {
      if (gen !== generation || mine !== seq) return;
      more.disabled = false;
      status.textContent = '';
      showError(e);
    }
  }

  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (gen !== generation) return;
      query = search.value.trim();
      next = null;
      rechecked = false;
      // Keep the filter in the address without a new navigation (no hashchange, no history entry).
      history.replaceState(null, '', query ? `#/?q=${encodeURIComponent(query)}` : '#/');
      load(true);
    }, SEARCH_DELAY_MS);
  });
  more.addEventListener('click', () => load(false));
  search.focus();
  load(true);
}

function repoRow(r) {
  return el(
    'a',
    { class: 'row', test: 'repo-row', href: repoHref(r.name) },
    el('span', { class: 'name mono', test: 'repo-name', text: r.name }),
    el('span', { class: 'num', 'data-label': 'Tags', test: 'repo-tags', text: String(r.tags ?? 0) }),
    el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(r.size, 'repo-size')),
    el('span', { 'data-label': 'Pushed' }, timeEl(r.lastPush, 'repo-pushed')),
  );
}

// ----- repository page

async function renderRepo(route, gen) {
  const name = route.name;
  document.title = `${name} · ocireg`;
  append(mainEl, [
    breadcrumbs({ text: 'Repositories', href: '#/' }, { text: name }),
    el('div', { class: 'page-head' }, el('h1', { class: 'mono break', text: name })),
  ]);
  const body = el('div', {}, loading());
  mainEl.append(body);
  let data;
  try {
    data = await getJson(`api/tags/${encodePath(name)}?n=${TAG_PAGE}`);
  } catch (e) {
    if (gen !== generation) return;
    clear(body);
    showError(e);
    return;
  }
  if (gen !== generation) return;
  clear(body);
  const tags = data.tags || [];
  const untagged = data.untagged || [];
  const deletable = canDelete(data);
  let shown = tags.length;
  let next = data.next || null;
  const countEl = el('p', { class: 'muted', id: 'tag-count' });
  const countText = () => {
    countEl.textContent = `${shown}${next ? '+' : ''} ${shown === 1 && !next ? 'tag' : 'tags'}${untagged.length ? `, ${untagged.length}${data.untaggedComplete === false ? '+' : ''} untagged` : ''}`;
  };
  countText();
  body.append(countEl);
  if (tags.length === 0) {
    body.append(el('p', { class: 'muted', text: 'No tags.' }));
  } else {
    body.append(
      el(
        'div',
        { class: 'row row-head rows-tags-head', 'aria-hidden': 'true' },
        el('span', { text: 'Tag' }),
        el('span', { text: 'Digest' }),
        el('span', { text: 'Kind' }),
        el('span', { text: 'Platforms' }),
        el('span', { class: 'num', text: 'Size' }),
        el('span', { text: 'Pushed' }),
        el('span', {}),
      ),
    );
    const list = el('div', { id: 'tag-list', class: 'rows rows-tags', role: 'list' });
    for (const t of tags) list.append(tagRow(name, t, deletable));
    // Like the list page: the next page of tags after the last one shown, on demand.
    const more = el('button', { id: 'more-tags', type: 'button', class: 'btn more', hidden: !next, text: 'More' });
    more.addEventListener('click', async () => {
      more.disabled = true;
      try {
        const page = await getJson(`api/tags/${encodePath(name)}?n=${TAG_PAGE}&last=${encodeURIComponent(next)}`);
        if (gen !== generation) return;
        for (const t of page.tags || []) list.append(tagRow(name, t, deletable));
        shown += (page.tags || []).length;
        next = page.next || null;
        more.hidden = !next;
        countText();
      } catch (e) {
        showError(e);
      } finally {
        more.disabled = false;
      }
    });
    body.append(list, more);
  }
  if (untagged.length > 0) {
    const list = el('div', { id: 'untagged-list', class: 'rows rows-tags', role: 'list' });
    for (const m of untagged) list.append(untaggedRow(name, m));
    body.append(el('h2', { text: 'Untagged manifests' }), list);
  }
}

function encodePath(name) {
  // The name's "/" stay path separators (the API takes the name as the rest of the path).
  return name.split('/').map(encodeURIComponent).join('/');
}

const TAG_PAGE = 100;

// known false: the server did not read this image's config for the listing (its budget of config
// reads ran out); the tag page shows the exact value.
function platformsText(platforms, known) {
  if (known === false) return '…';
  return platforms && platforms.length ? platforms.join(', ') : '—';
}

function tagRow(name, t, deletable) {
  const row = el(
    'div',
    { class: 'row', role: 'listitem', test: 'tag-row', 'data-tag': t.tag },
    el('span', { class: 'name' }, el('a', { class: 'mono', test: 'tag-name', href: refHref(name, t.tag), text: t.tag })),
    el('span', { class: 'digest-cell', 'data-label': 'Digest' }, digestEl(t.digest, 'tag-digest'), copyButton(t.digest)),
    el('span', { 'data-label': 'Kind' }, kindEl(t.kind, t.artifactType, 'tag-kind')),
    el('span', { 'data-label': 'Platforms', class: 'mono small', test: 'tag-platforms', text: platformsText(t.platforms, t.platformsKnown), title: t.platformsKnown === false ? 'not read for this list: open the tag' : null }),
    el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(t.size, 'tag-size')),
    el('span', { 'data-label': 'Pushed' }, timeEl(t.pushedAt, 'tag-pushed')),
    el('span', { class: 'actions' }),
  );
  if (deletable) {
    const b = el('button', { type: 'button', class: 'btn btn-small btn-danger', test: 'delete-tag', text: 'Delete' });
    b.addEventListener('click', async () => {
      if (await deleteTag(name, t.tag, t.digest)) route();
    });
    row.lastChild.append(b);
  }
  return row;
}

function untaggedRow(name, m) {
  return el(
    'div',
    { class: 'row', role: 'listitem', test: 'untagged-row' },
    el('span', { class: 'name' }, el('a', { class: 'mono', href: refHref(name, m.digest), text: 'untagged' })),
    el('span', { class: 'digest-cell', 'data-label': 'Digest' }, digestEl(m.digest, 'untagged-digest'), copyButton(m.digest)),
    el('span', { 'data-label': 'Kind' }, kindEl(m.kind, m.artifactType, 'untagged-kind')),
    el('span', { 'data-label': 'Platforms', class: 'mono small', text: platformsText(m.platforms, m.platformsKnown) }),
    el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(m.size)),
    el('span', { 'data-label': 'Pushed' }, timeEl(m.pushedAt)),
    el('span', { class: 'actions' }),
  );
}

// ----- tag (or digest) page

function isDigest(ref) {
  // A tag never holds ':'.
  return ref.includes(':');
}

function section(id, title, content) {
  return el('section', { class: 'card', 'aria-labelledby': `${id}-title` }, el('h2', { id: `${id}-title`, text: title }), content);
}

function keyValues(id, map, emptyText) {
  const entries = map ? Object.entries(map) : [];
  if (entries.length === 0) return el('div', { id, class: 'muted', text: emptyText });
  const dl = el('dl', { id, class: 'kv' });
  for (const [k, v] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    dl.append(
      el('div', { class: 'kv-row', test: 'kv-row' }, el('dt', { class: 'mono', text: k }), el('dd', { class: 'mono', text: typeof v === 'string' ? v : JSON.stringify(v) })),
    );
  }
  return dl;
}

function facts(pairs) {
  const dl = el('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    if (value === null || value === undefined) continue;
    dl.append(el('div', {}, el('dt', { text: label }), el('dd', {}, value)));
  }
  return dl;
}

function commandText(list) {
  if (!Array.isArray(list) || list.length === 0) return null;
  return el('code', { class: 'mono', text: JSON.stringify(list) });
}

function configSummary(config) {
  if (!config) return el('div', { id: 'config-summary', class: 'muted', text: 'No config: this manifest is an index.' });
  const platform = [config.os, config.architecture, config.variant].filter(Boolean).join('/');
  const box = el('div', { id: 'config-summary' });
  box.append(
    facts([
      ['Platform', platform ? el('span', { class: 'mono', test: 'config-platform', text: platform }) : null],
      ['Created', config.created ? timeEl(config.created, 'config-created') : null],
      ['Entrypoint', commandText(config.entrypoint)],
      ['Cmd', commandText(config.cmd)],
      ['Media type', el('span', { class: 'mono small', text: config.mediaType || '—' })],
      ['Digest', digestEl(config.digest, 'config-digest')],
      ['Size', sizeEl(config.size)],
    ]),
  );
  if (config.labels && Object.keys(config.labels).length > 0) {
    box.append(el('h3', { text: 'Labels' }), keyValues('labels', config.labels, 'No labels.'));
  }
  return box;
}

function layersTable(layers, artifact) {
  if (!layers || layers.length === 0) return el('div', { id: 'layers', class: 'muted', text: 'No layers.' });
  const total = layers.reduce((sum, l) => sum + (typeof l.size === 'number' ? l.size : 0), 0);
  const list = el('div', { id: 'layers', class: 'rows rows-layers', role: 'list' });
  layers.forEach((l, i) => {
    list.append(
      el(
        'div',
        { class: 'row', role: 'listitem', test: 'layer-row' },
        el('span', { class: 'num muted', text: String(i + 1) }),
        el('span', { class: 'digest-cell', 'data-label': 'Digest' }, digestEl(l.digest, 'layer-digest')),
        el('span', { class: 'mono small', 'data-label': 'Type', test: 'layer-media-type', text: l.mediaType || '—' }),
        el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(l.size, 'layer-size')),
      ),
    );
  });
  const noun = artifact ? 'blob' : 'layer';
  return el(
    'div',
    {},
    list,
    el('p', { class: 'muted small', text: `${layers.length} ${noun}${layers.length === 1 ? '' : 's'}, ${humanSize(total)}${artifact ? '' : ' compressed'}` }),
  );
}

function childrenList(name, children) {
  if (!children || children.length === 0) return el('div', { id: 'children', class: 'muted', text: 'Not an index.' });
  const list = el('div', { id: 'children', class: 'rows rows-children', role: 'list' });
  for (const c of children) {
    list.append(
      el(
        'div',
        { class: 'row', role: 'listitem', test: 'child-row' },
        el('span', { class: 'name' }, el('a', { class: 'mono', test: 'child-platform', href: refHref(name, c.digest), text: c.platform || 'unknown platform' })),
        el('span', { class: 'digest-cell', 'data-label': 'Digest' }, digestEl(c.digest, 'child-digest')),
        el('span', { class: 'mono small', 'data-label': 'Type', text: c.mediaType || '—' }),
        el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(c.size, 'child-size')),
      ),
    );
  }
  return list;
}

function referrersList(name, referrers) {
  if (!referrers || referrers.length === 0) return el('div', { id: 'referrers', class: 'muted', text: 'Nothing refers to this manifest.' });
  const list = el('div', { id: 'referrers', class: 'rows rows-referrers', role: 'list' });
  for (const r of referrers) {
    const notes = r.annotations && Object.keys(r.annotations).length ? keyValues(null, r.annotations, '') : null;
    list.append(
      el(
        'div',
        { class: 'row referrer', role: 'listitem', test: 'referrer-row' },
        el('span', { class: 'name' }, el('a', { class: 'mono', href: refHref(name, r.digest), test: 'referrer-type', text: r.artifactType || r.mediaType || 'artifact' })),
        el('span', { class: 'digest-cell', 'data-label': 'Digest' }, digestEl(r.digest, 'referrer-digest')),
        el('span', { class: 'num', 'data-label': 'Size' }, sizeEl(r.size)),
        notes ? el('div', { class: 'referrer-notes' }, notes) : null,
      ),
    );
  }
  return list;
}

function subjectBox(name, subject) {
  if (!subject) return el('div', { id: 'subject', class: 'muted', text: 'No subject.' });
  return el(
    'div',
    { id: 'subject' },
    facts([
      ['Digest', el('a', { href: refHref(name, subject.digest), class: 'mono digest', test: 'subject-link', text: subject.digest })],
      ['Media type', el('span', { class: 'mono small', text: subject.mediaType || '—' })],
      ['Size', sizeEl(subject.size)],
    ]),
  );
}

async function renderRef(route, gen) {
  const { name, ref } = route;
  const byDigest = isDigest(ref);
  document.title = `${name}${byDigest ? '@' : ':'}${ref} · ocireg`;
  append(mainEl, [
    breadcrumbs({ text: 'Repositories', href: '#/' }, { text: name, href: repoHref(name) }, { text: byDigest ? shortDigest(ref) : ref }),
  ]);
  const body = el('div', {}, loading());
  mainEl.append(body);
  let m;
  try {
    m = await getJson(`api/manifest/${encodePath(name)}?ref=${encodeURIComponent(ref)}`);
  } catch (e) {
    if (gen !== generation) return;
    clear(body);
    showError(e);
    return;
  }
  if (gen !== generation) return;
  clear(body);
  const deletable = canDelete(m);
  const otherTags = (m.tags || []).filter((t) => t !== ref);
  const actions = el('div', { class: 'actions' });
  if (deletable && !byDigest) {
    const b = el('button', { type: 'button', class: 'btn btn-danger', test: 'delete-tag', text: 'Delete tag' });
    b.addEventListener('click', async () => {
      if (await deleteTag(name, ref, m.digest)) navigate(repoHref(name));
    });
    actions.append(b);
  }
  if (deletable) {
    const b = el('button', { type: 'button', class: 'btn btn-danger', test: 'delete-manifest', text: 'Delete manifest' });
    b.addEventListener('click', async () => {
      if (await deleteManifest(name, m.digest, m.tags || [], m.tagsTotal)) navigate(repoHref(name));
    });
    actions.append(b);
  }
  body.append(
    el(
      'div',
      { class: 'page-head' },
      el('h1', { class: 'mono break' }, el('span', { class: 'muted', text: `${name}${byDigest ? '@' : ':'}` }), el('span', { id: 'ref', text: ref })),
      actions,
    ),
    el(
      'section',
      { class: 'card', id: 'overview' },
      facts([
        ['Digest', el('span', { class: 'digest-cell' }, digestEl(m.digest, 'manifest-digest'), copyButton(m.digest))],
        ['Kind', kindEl(m.kind, m.artifactType, 'manifest-kind')],
        ['Media type', el('span', { class: 'mono small', test: 'manifest-media-type', text: m.mediaType || '—' })],
        ['Size', sizeEl(m.size, 'manifest-size')],
        ['Pushed', timeEl(m.pushedAt, 'manifest-pushed')],
        ['Tags', el('span', { class: 'mono', test: 'manifest-tags', text: (m.tags || []).length ? m.tags.join(', ') + (m.tagsComplete === false ? ` … (${m.tagsTotal} in all)` : '') : 'none' })],
      ]),
      otherTags.length && !byDigest ? el('p', { class: 'muted small', text: `Deleting the manifest also removes: ${otherTags.join(', ')}` }) : null,
    ),
  );
  if (m.kind === 'index' || (m.children && m.children.length)) {
    body.append(section('children', 'Platforms', childrenList(name, m.children)));
  } else {
    body.append(section('config', 'Config', configSummary(m.config)));
    body.append(section('layers', m.kind === 'artifact' ? 'Blobs' : 'Layers', layersTable(m.layers, m.kind === 'artifact')));
  }
  body.append(section('annotations', 'Annotations', keyValues('annotations', m.annotations, 'No annotations.')));
  body.append(section('referrers', 'Referrers', referrersList(name, m.referrers)));
  body.append(section('subject', 'Subject', subjectBox(name, m.subject)));
  // Sections not relevant to this kind still exist (empty), so links and tests find them.
  for (const [id, make] of [
    ['children', () => childrenList(name, [])],
    ['config-summary', () => configSummary(null)],
    ['layers', () => layersTable([])],
  ]) {
    if (!document.getElementById(id)) {
      const holder = make();
      holder.classList.add('hidden-section');
      body.append(holder);
    }
  }
  body.append(
    el(
      'details',
      { class: 'card', open: true },
      el('summary', { text: 'Manifest JSON' }),
      el('pre', { id: 'manifest-json', class: 'code', text: JSON.stringify(m.manifest, null, 2) }),
    ),
  );
}

function shortDigest(d) {
  const i = d.indexOf(':');
  return i < 0 ? d : `${d.slice(0, i + 13)}…`;
}

// ---------------------------------------------------------------- router

function route() {
  generation++;
  const gen = generation;
  clearError();
  clear(mainEl);
  const r = parseRoute();
  window.scrollTo(0, 0);
  if (r.page === 'repo') renderRepo(r, gen);
  else if (r.page === 'ref') renderRef(r, gen);
  else renderList(r, gen);
}

// A notice set just before a navigation (a delete) survives that one navigation.
let keepNotice = false;

function navigate(hash) {
  keepNotice = true;
  if (location.hash === hash) route();
  else location.hash = hash;
}

window.addEventListener('hashchange', () => {
  if (!keepNotice) clearNotice();
  keepNotice = false;
  route();
});

// ---------------------------------------------------------------- session and GC

const gcButton = document.getElementById('gc-button');
const gcPanel = document.getElementById('gc-panel');
const gcResult = document.getElementById('gc-result');
const gcSummary = document.getElementById('gc-summary');

/** "Removed 3 manifests, 7 blobs in 120 ms." from the report's counters, whatever they are. */
function gcSummaryText(report) {
  if (!report || typeof report !== 'object') return 'Done.';
  const swept = report.swept && typeof report.swept === 'object' ? report.swept : {};
  const parts = Object.entries(swept)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .map(([what, n]) => `${n} ${what}`);
  const took = typeof report.durationMillis === 'number' ? ` in ${report.durationMillis} ms` : '';
  const dry = report.dryRun ? ' (dry run: nothing was removed)' : '';
  return parts.length ? `Removed ${parts.join(', ')}${took}${dry}.` : `Nothing to remove${took}${dry}.`;
}

gcButton.addEventListener('click', async () => {
  const ok = await confirmAction(
    'Collect garbage?',
    'Remove blobs and manifests no tag or index reaches any more, in every repository, as the server is configured to. Pushes in progress are safe.',
    [],
    'Start',
  );
  if (!ok) return;
  gcButton.disabled = true;
  gcPanel.hidden = false;
  gcSummary.textContent = 'Running…';
  gcResult.textContent = '';
  try {
    const report = await postJson('api/gc', {});
    gcSummary.textContent = gcSummaryText(report);
    gcResult.textContent = JSON.stringify(report, null, 2);
  } catch (e) {
    gcSummary.textContent = '';
    gcPanel.hidden = true;
    showError(e);
  } finally {
    gcButton.disabled = false;
  }
});

document.getElementById('gc-close').addEventListener('click', () => {
  gcPanel.hidden = true;
});

const loginButton = document.getElementById('login');

async function loadSession() {
  const userEl = document.getElementById('user');
  try {
    session = await getJson('api/session');
    userEl.textContent = session.user || 'anonymous';
    userEl.classList.toggle('anonymous', !session.user);
    gcButton.hidden = !(session.canAdmin && session.gcAvailable);
    loginButton.hidden = Boolean(session.user) || !session.loginAvailable;
  } catch (e) {
    userEl.textContent = 'unknown';
    showError(e);
  }
}

// api/login answers 401 with the registry's Basic challenge until the browser sends credentials:
// that makes the browser ask for them (and keep them for this registry, like the CLI clients do).
loginButton.addEventListener('click', async () => {
  try {
    await getJson('api/login');
    await loadSession();
    route();
  } catch (e) {
    showError(e);
  }
});

// Session first: it decides which buttons the pages show.
loadSession().then(route);
