// The operators' page: sign in with an admin account, then list rooms, connections, sanctions and the audit
// log, find accounts, act on them, post notices, delete or purge messages and change the limits. Every call goes to
// /api/admin with the bearer token. User data is only ever set with textContent.
import { accountLogin } from './parley-client.js';

const $ = (id) => document.getElementById(id);
const enc = encodeURIComponent;
const TOKEN_KEY = 'parley.admin.token';
/** Only to show who is signed in and to prefill the form when the session ends. */
const USER_KEY = 'parley.admin.user';
const LIMIT_FIELDS = ['framesPerSecond', 'frameBurst', 'maxFrameBytes', 'maxTextChars'];

/** Bumped at each sign-in and sign-out, so that answers to an earlier session's requests are dropped. */
let session = 0;
/** The room whose details are open, or null. */
let selectedRoom = null;
/** The limits as last loaded, so that Save sends only what the operator changed. */
let limits = null;
/** The days asked for by the purge form, held while the operator confirms. */
let purgeDays = null;
/** The accounts search shown: its prefix and how many pages of it are listed; null before any. */
let accountSearch = null;
const ACCOUNTS_PAGE = 50;

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The page is back at the sign-in form (401, 403, or the session changed): the caller has nothing to report. */
class SignedOut extends Error {}

/** One admin call: JSON in and out; null for an empty answer (204). */
async function api(method, path, body) {
  // A URL reads a segment "." or ".." as a step of the path: rooms/../notices would be the notice to every room.
  // No room takes those names since 2026-12-05; one made before cannot be reached over HTTP.
  if (path.split('?')[0].split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new ApiError(0, 'bad_request', 'A room or user named "." or ".." cannot be reached over HTTP.');
  }
  const asked = session;
  const headers = { Accept: 'application/json', Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(new URL(`api/admin/${path}`, document.baseURI), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach the server.');
  }
  const answer = await response.json().catch(() => null);
  if (asked !== session) throw new SignedOut();
  if (response.ok) return answer;
  if (response.status === 401) {
    showSignIn('Signed out: your session has ended. Sign in again.');
    throw new SignedOut();
  }
  if (response.status === 403) {
    showSignIn(answer?.error === 'banned' ? 'Signed out: this account is banned from the server.'
      : 'Signed out: this account is not an admin.');
    throw new SignedOut();
  }
  throw new ApiError(response.status, answer?.error, answer?.message || `The server answered ${response.status}.`);
}

// ---- Sign-in ----

$('admin-login').addEventListener('submit', async (event) => {
  event.preventDefault();
  const submit = event.submitter ?? event.target.querySelector('button');
  const username = $('admin-username').value.trim();
  const password = $('admin-password').value;
  $('admin-password').value = '';
  $('login-message').textContent = '';
  submit.disabled = true;
  try {
    const login = await accountLogin(username, password);
    sessionStorage.setItem(TOKEN_KEY, login.token);
    sessionStorage.setItem(USER_KEY, login.user);
    await start();
  } catch (error) {
    $('login-message').textContent = error.message;
    say(error.message, true);
    $('admin-password').focus();
  } finally {
    submit.disabled = false;
  }
});

$('sign-out').addEventListener('click', () => showSignIn('Signed out.', false));

async function start() {
  session += 1;
  const opened = session;
  $('admin-user').textContent = sessionStorage.getItem(USER_KEY) ?? '';
  // The limits first: a non-admin or a stale token goes back to the form before the console shows.
  await loadLimits();
  if (opened !== session) return;
  $('login-section').hidden = true;
  $('console').hidden = false;
  $('sign-out').hidden = false;
  say(`Signed in as ${sessionStorage.getItem(USER_KEY) ?? 'an admin'}.`);
  $('rooms-title').focus();
  await refresh();
}

/** Back to the sign-in form, forgetting the token and everything shown. */
function showSignIn(message = '', isError = true) {
  session += 1;
  const user = sessionStorage.getItem(USER_KEY);
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
  selectedRoom = null;
  limits = null;
  accountSearch = null;
  $('accounts').hidden = true;
  $('accounts-more').hidden = true;
  $('console').hidden = true;
  $('sign-out').hidden = true;
  $('admin-user').textContent = '';
  $('room-details').hidden = true;
  hidePurgeConfirm();
  for (const table of $('console').querySelectorAll('table')) table.tBodies[0].replaceChildren();
  for (const note of $('console').querySelectorAll('.note')) note.textContent = '';
  $('login-section').hidden = false;
  $('login-message').textContent = message;
  if (message) say(message, isError);
  if (user && !$('admin-username').value) $('admin-username').value = user;
  ($('admin-username').value ? $('admin-password') : $('admin-username')).focus();
}

// ---- Status, actions and focus ----

function say(text, isError = false) {
  $('status').textContent = text;
  $('status').dataset.kind = isError ? 'error' : 'ok';
}

/** What others feel at once (a ban, a removal, an archive, a deletion for good) is asked once more. */
function confirmed(question) {
  return window.confirm(question);
}

/**
 * Runs an operator's action: its control is disabled meanwhile (no double submits), the result or the error
 * goes to the status line, then the lists are reloaded. Reloading replaces table rows, so the focus is put
 * back on the same button of the new row (or on `returnTo`, a data-action) to keep keyboard users in place.
 */
async function act(control, work, returnTo = control.dataset.action) {
  const asked = session;
  const row = control.closest('tr[data-key]');
  const home = control.closest('[role="region"], section')?.querySelector('h2, h3');
  const spot = { control, row, table: row?.closest('table'), home, returnTo };
  control.disabled = true;
  try {
    say(await work());
  } catch (error) {
    if (error instanceof SignedOut) return;
    say(error.message, true);
  } finally {
    control.disabled = false;
  }
  await refresh();
  if (asked === session) restoreFocus(spot);
}

function restoreFocus({ control, row, table, home, returnTo }) {
  const focused = document.activeElement;
  if (focused && focused !== document.body && focused.isConnected && visible(focused)) return;
  if (control.isConnected && visible(control)) {
    control.focus();
    return;
  }
  const scope = row ? table.querySelector(`tr[data-key="${CSS.escape(row.dataset.key)}"]`) : document;
  const candidates = scope ? [...scope.querySelectorAll('button')].filter(visible) : [];
  const target = candidates.find((button) => button.dataset.action === returnTo)
    ?? (row ? candidates[0] : null)
    ?? home;
  target?.focus();
}

function visible(element) {
  return element.getClientRects().length > 0;
}

/** Reloads a list on request, and says whether it worked. */
async function reload(control, loader, done) {
  const asked = session;
  control.disabled = true;
  const ok = await loader();
  control.disabled = false;
  if (asked !== session) return;
  // Some browsers drop the focus of a button while it is disabled.
  if (document.activeElement === document.body || !document.activeElement) control.focus();
  say(ok ? done : 'Some lists could not be loaded: see the notes under them.', !ok);
}

$('refresh').addEventListener('click', (event) =>
  reload(event.currentTarget, async () => (await Promise.all([refresh(), loadLimits()])).every(Boolean),
    'Lists reloaded.'));

$('audit-refresh').addEventListener('click', (event) => reload(event.currentTarget, loadAudit, 'Audit log reloaded.'));

// ---- Lists ----

/** Every list; each reports its own failure under its table, so one broken list does not hide the others. */
async function refresh() {
  const loads = [loadRooms(), loadConnections(), loadAccounts(), loadSanctions(), loadAudit()];
  if (selectedRoom) loads.push(loadDetails(selectedRoom));
  return (await Promise.all(loads)).every(Boolean);
}

/** Fills a table from a GET; the note under it says when it is empty or could not be loaded. */
async function loadInto(table, path, toRows, emptyText) {
  return loading($(`${table.id}-note`), async () => {
    const rows = toRows(await api('GET', path));
    if (rows === null) return $(`${table.id}-note`).textContent;
    table.tBodies[0].replaceChildren(...rows);
    return rows.length > 0 ? '' : emptyText;
  });
}

/** Runs a load; its note then shows what the load says (e.g. that a list is empty) or why it failed. */
async function loading(note, load) {
  try {
    note.textContent = await load();
    note.classList.remove('error');
    return true;
  } catch (error) {
    if (error instanceof SignedOut) return false;
    note.textContent = `Could not load: ${error.message}`;
    note.classList.add('error');
    return false;
  }
}

function loadRooms() {
  return loadInto($('rooms'), 'rooms', (rooms) => [...rooms].sort(byName('room')).map(roomRow), 'No rooms.');
}

function loadConnections() {
  return loadInto($('connections'), 'connections', (connections) => byUser(connections).map(userRow),
    'Nobody is connected.');
}

function loadSanctions() {
  return loadInto($('sanctions'), 'sanctions', (sanctions) => [...sanctions].sort(byName('user')).map(sanctionRow),
    'No user is muted or banned.');
}

/** The accounts of the search shown, as many pages as were listed (a reload after an action keeps them). */
async function loadAccounts() {
  if (!accountSearch) return true;
  const search = accountSearch;
  return loading($('accounts-note'), async () => {
    const found = [];
    let more = false;
    for (let page = 0; page < search.pages; page += 1) {
      const after = found.length > 0 ? `&after=${enc(found.at(-1).user)}` : '';
      const items = await api('GET', `users?prefix=${enc(search.prefix)}&limit=${ACCOUNTS_PAGE}${after}`);
      found.push(...items);
      more = items.length === ACCOUNTS_PAGE;
      if (!more) break;
    }
    if (search !== accountSearch) return $('accounts-note').textContent; // another search was asked meanwhile
    $('accounts').tBodies[0].replaceChildren(...found.map(accountRow));
    $('accounts').hidden = found.length === 0;
    $('accounts-more').hidden = !more;
    if (found.length > 0) return '';
    return search.prefix ? `No account's name starts with ${search.prefix} (guests have no account).` : 'No accounts.';
  });
}

$('find-accounts').addEventListener('submit', async (event) => {
  event.preventDefault();
  accountSearch = { prefix: $('accounts-prefix').value.trim(), pages: 1 };
  const control = submitterOf(event);
  control.disabled = true;
  await loadAccounts();
  control.disabled = false;
});

$('accounts-more').addEventListener('click', async (event) => {
  if (!accountSearch) return;
  accountSearch = { ...accountSearch, pages: accountSearch.pages + 1 };
  const control = event.currentTarget;
  const shown = $('accounts').tBodies[0].rows.length;
  await loadAccounts();
  // The first of the new rows, for keyboard users; the button itself when none came.
  ($('accounts').tBodies[0].rows[shown]?.querySelector('button') ?? control).focus();
});

function loadAudit() {
  return loadInto($('audit'), 'audit?limit=50', (entries) => entries.map(auditRow), 'The audit log is empty.');
}

function loadDetails(room) {
  return loadInto($('members'), `rooms/${enc(room)}`, (detail) => {
    if (room !== selectedRoom) return null; // another room was opened while this one loaded
    $('room-summary').textContent = [detail.direct ? 'direct conversation' : `owner ${detail.owner ?? '—'}`,
      detail.access, plural(detail.messages, 'message'), detail.archived ? 'archived' : 'open'].join(' · ');
    $('room-topic').textContent = detail.topic ?? '';
    $('room-topic-line').hidden = !detail.topic;
    return [...detail.members].sort(byName('user')).map((member) => memberRow(room, member, detail.direct));
  }, 'No members.');
}

async function loadLimits() {
  return loading($('limits-note'), async () => {
    showLimits(await api('GET', 'limits'), { keepEdits: true });
    return '';
  });
}

// ---- Rows ----

function roomRow(room) {
  const row = tableRow({ room: room.room }, room.room);
  const details = button('Details', 'details', () => toggleDetails(room.room, details), `Details of ${room.room}`);
  details.setAttribute('aria-controls', 'room-details');
  details.setAttribute('aria-expanded', String(room.room === selectedRoom));
  row.classList.toggle('selected', room.room === selectedRoom);
  const archiveButton = room.archived
    ? button('Reopen', 'reopen', (control) => act(control, () => setArchived(room.room, false), 'archive'),
      `Reopen ${room.room}`)
    : button('Archive', 'archive', (control) => confirmed(`Archive ${room.room}? Nobody writes in it until reopened.`)
      && act(control, () => setArchived(room.room, true), 'reopen'), `Archive ${room.room}`);
  row.append(cell('Room', room.room), cell('Access', room.access), cell('Owner', room.owner),
    cell('Members', room.members), cell('Online', room.online), cell('Messages', room.messages),
    cell('State', room.archived ? 'archived' : 'open'), actions(details, archiveButton));
  return row;
}

function memberRow(room, member, direct) {
  const row = tableRow({ user: member.user }, member.user);
  const removeButton = button('Remove from room', 'remove-member',
    (control) => confirmed(`Remove ${member.user} from ${room}?`)
      && act(control, () => removeMember(room, member.user)), `Remove ${member.user} from ${room}`);
  removeButton.classList.add('danger');
  const controls = [removeButton];
  if (member.role !== 'owner' && !direct) { // nobody is given a direct conversation
    controls.unshift(button('Make owner', 'hand-over',
      (control) => confirmed(`Give ${room} to ${member.user}? Its owner stays on as a moderator, if a member.`)
        && act(control, () => handOver(room, member.user)), `Give ${room} to ${member.user}`));
  }
  row.append(cell('Member', member.user), cell('Role', member.role), cell('Online', member.online ? 'yes' : 'no'),
    actions(...controls));
  return row;
}

/** An account found: its actions fill in the forms below, which act once the operator submits them. */
function accountRow(account) {
  const row = tableRow({ user: account.user }, account.user);
  const controls = [];
  if (!account.deleted) {
    controls.push(button('New password…', 'new-password', () => fillIn('reset-user', account.user,
      $('reset-password-value')), `New password for ${account.user}…`));
    const deleteButton = button('Delete…', 'delete-account', () => fillIn('delete-account-user', account.user,
      $('delete-account').querySelector('button[type="submit"]')), `Delete the account of ${account.user}…`);
    deleteButton.classList.add('danger');
    controls.push(deleteButton);
  }
  row.append(cell('User', account.user), cell('Role', account.admin ? 'admin' : 'user'),
    cell('Created', time(account.created)), cell('State', account.deleted ? 'deleted' : 'active'),
    actions(...controls));
  return row;
}

/** Puts the account's name in a form's field and takes the operator to what they do next there. */
function fillIn(field, user, next) {
  $(field).value = user;
  next.scrollIntoView({ block: 'center' });
  next.focus();
}

/** One row per user: the actions apply to all of a user's connections. */
function userRow([user, connections]) {
  const row = tableRow({ user }, user);
  const kickButton = button('Kick', 'kick', (control) => act(control, () => kick(user)), `Kick ${user}`);
  const muteButton = button('Mute…', 'mute', () => openMute(form, muteButton), `Mute ${user}…`);
  muteButton.setAttribute('aria-expanded', 'false');
  const banQuestion = `Ban ${user} from the server? Their connections close now.`;
  const banButton = button('Ban', 'ban', (control) => confirmed(banQuestion) && act(control, () => ban(user)),
    `Ban ${user}`);
  banButton.classList.add('danger');
  const form = muteForm(user, muteButton);
  const since = connections.map((c) => c.since).filter(Boolean).sort()[0];
  row.append(cell('User', user), cell('Connections', connections.length),
    cell('Address', distinct(connections, 'address')), cell('Node', distinct(connections, 'node')),
    cell('Since', time(since)), actions(kickButton, muteButton, banButton, form));
  return row;
}

/** The minutes for a mute, asked in the row itself. */
function muteForm(user, opener) {
  const form = document.createElement('form');
  form.className = 'inline';
  form.hidden = true;
  const label = document.createElement('label');
  label.textContent = 'Minutes ';
  const minutes = document.createElement('input');
  Object.assign(minutes, { type: 'number', min: 1, step: 1, value: 10, required: true, inputMode: 'numeric' });
  minutes.dataset.field = 'minutes';
  minutes.setAttribute('aria-label', `Minutes to mute ${user}`);
  label.append(minutes);
  const confirm = button('Mute', 'mute-confirm', null, `Mute ${user}`);
  confirm.type = 'submit';
  const cancel = button('Cancel', 'mute-cancel', () => closeMute(form, opener));
  cancel.classList.add('secondary');
  form.append(label, confirm, cancel);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    act(confirm, () => mute(user, Number(minutes.value)), 'mute');
  });
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeMute(form, opener);
  });
  return form;
}

function openMute(form, opener) {
  form.hidden = false;
  opener.setAttribute('aria-expanded', 'true');
  const minutes = form.querySelector('input');
  minutes.focus();
  minutes.select();
}

function closeMute(form, opener) {
  form.hidden = true;
  opener.setAttribute('aria-expanded', 'false');
  opener.focus();
}

function sanctionRow(sanction) {
  // The URL has "mute" or "ban" in lower case; this holds even if the server sends the enum's name.
  const kind = String(sanction.kind).toLowerCase();
  const row = tableRow({ user: sanction.user, kind }, `${sanction.user}/${kind}`);
  const liftButton = button('Lift', 'lift', (control) => act(control, () => lift(sanction.user, kind)),
    `Lift the ${kind} on ${sanction.user}`);
  row.append(cell('User', sanction.user), cell('Kind', kind),
    cell('Until', sanction.until ? time(sanction.until) : 'permanent'), cell('By', sanction.by),
    cell('At', time(sanction.at)), actions(liftButton));
  return row;
}

function auditRow(entry) {
  const row = document.createElement('tr');
  row.append(cell('At', time(entry.at)), cell('By', entry.by), cell('Action', entry.action),
    cell('Target', entry.target), cell('Detail', entry.detail));
  return row;
}

// ---- Room details ----

function toggleDetails(room, control) {
  if (selectedRoom === room) {
    closeDetails();
    return;
  }
  selectedRoom = room;
  markSelected();
  $('room-details-title').textContent = `Room ${room}`;
  $('room-summary').textContent = '';
  $('room-topic-line').hidden = true;
  $('members').tBodies[0].replaceChildren();
  $('room-details').hidden = false;
  control.disabled = true;
  loadDetails(room).finally(() => {
    control.disabled = false;
    if (selectedRoom === room) $('room-details-title').focus();
  });
}

function closeDetails() {
  const room = selectedRoom;
  selectedRoom = null;
  $('room-details').hidden = true;
  markSelected();
  $('rooms').querySelector(`tr[data-key="${CSS.escape(room)}"] [data-action="details"]`)?.focus();
}

function markSelected() {
  for (const row of $('rooms').tBodies[0].rows) {
    const selected = row.dataset.room === selectedRoom;
    row.classList.toggle('selected', selected);
    row.querySelector('[data-action="details"]')?.setAttribute('aria-expanded', String(selected));
  }
}

$('room-details').querySelector('[data-action="close-details"]').addEventListener('click', closeDetails);

// A topic is shown to everybody in the directory: one that should not be there is taken down here.
$('room-topic-line').querySelector('[data-action="clear-topic"]').addEventListener('click', (event) => {
  const room = selectedRoom;
  const control = event.currentTarget;
  if (confirmed(`Clear the topic of ${room}? Its members are told.`)) {
    act(control, async () => {
      await api('DELETE', `rooms/${enc(room)}/topic`);
      return `Cleared the topic of ${room}`;
    }, 'close-details'); // its own button goes with the topic: the focus stays in the room's details
  }
});

// An invitation link that went where it should not (posted in public, say) stops working for everybody.
$('room-details').querySelector('[data-action="remove-links"]').addEventListener('click', (event) => {
  const room = selectedRoom;
  const control = event.currentTarget;
  if (confirmed(`End every invitation link of ${room}? Nobody joins with them after.`)) {
    act(control, async () => {
      const { removed } = await api('DELETE', `rooms/${enc(room)}/links`);
      return `Ended ${plural(removed, 'invitation link')} of ${room}`;
    });
  }
});

// ---- Operations (each returns what the status line says) ----

async function kick(user) {
  const kicked = await api('POST', `users/${enc(user)}/kick`);
  return `Kicked ${kicked.user} (${plural(kicked.connections, 'connection')})`;
}

async function mute(user, minutes) {
  const sanction = await api('PUT', `users/${enc(user)}/mute`, { minutes });
  return `Muted ${sanction.user} until ${sanction.until ? new Date(sanction.until).toLocaleString() : 'further notice'}`;
}

async function ban(user) {
  const sanction = await api('PUT', `users/${enc(user)}/ban`, {});
  return `Banned ${sanction.user}`;
}

async function lift(user, kind) {
  await api('DELETE', `users/${enc(user)}/${enc(kind)}`);
  return `Lifted the ${kind} on ${user}`;
}

async function setArchived(room, archived) {
  await api('POST', `rooms/${enc(room)}/${archived ? 'archive' : 'reopen'}`);
  return `${archived ? 'Archived' : 'Reopened'} ${room}`;
}

async function handOver(room, user) {
  await api('PUT', `rooms/${enc(room)}/owner`, { user });
  return `Gave ${room} to ${user}`;
}

async function removeMember(room, user) {
  await api('DELETE', `rooms/${enc(room)}/members/${enc(user)}`);
  return `Removed ${user} from ${room}`;
}

$('notice-room').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = selectedRoom;
  const text = $('notice-room-text').value;
  act(submitterOf(event), async () => {
    const message = await api('POST', `rooms/${enc(room)}/notices`, { text });
    $('notice-room-text').value = '';
    return `Notice posted to ${room}${message?.seq ? ` (message ${message.seq})` : ''}`;
  });
});

$('notice-all').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('notice-all-text').value;
  act(submitterOf(event), async () => {
    const posted = await api('POST', 'notices', { text });
    $('notice-all-text').value = '';
    return `Notice posted to ${plural(posted.rooms, 'room')}`;
  });
});

$('delete-message').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('delete-room').value.trim();
  // As typed (the form allows digits only): a Number would round a seq above 2^53 to another message's.
  const seq = $('delete-seq').value.trim();
  if (!confirmed(`Delete message ${seq} in ${room}? Its text is removed for good.`)) return;
  act(submitterOf(event), async () => {
    await api('DELETE', `rooms/${enc(room)}/messages/${seq}`);
    $('delete-seq').value = '';
    return `Deleted message ${seq} in ${room}`;
  });
});

// For a user who forgot theirs; the password goes to the API only and is cleared from the form at once.
$('reset-password').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('reset-user').value.trim();
  const password = $('reset-password-value').value;
  $('reset-password-value').value = '';
  act(submitterOf(event), async () => {
    await api('PUT', `users/${enc(user)}/password`, { password });
    $('reset-user').value = '';
    return `${user} has a new password; their devices are signed out`;
  });
});

// For a user who asked to go and cannot sign in; asked once more, as it cannot be undone.
$('delete-account').addEventListener('submit', (event) => {
  event.preventDefault();
  const user = $('delete-account-user').value.trim();
  if (!confirmed(`Delete the account of ${user}? They are signed out everywhere and nobody signs in with it again.`)) {
    return;
  }
  act(submitterOf(event), async () => {
    await api('DELETE', `users/${enc(user)}`);
    $('delete-account-user').value = '';
    return `Deleted the account of ${user}`;
  });
});

// Purging cannot be undone, so the form only asks; the operator confirms in the page.
$('purge').addEventListener('submit', (event) => {
  event.preventDefault();
  purgeDays = Number($('purge-days').value);
  $('purge-question').textContent =
    `Delete every message older than ${plural(purgeDays, 'day')}, in every room? This cannot be undone.`;
  $('purge-confirm').hidden = false;
  $('purge-confirm').querySelector('[data-action="purge-cancel"]').focus();
});

// A changed number must be confirmed again.
$('purge-days').addEventListener('input', hidePurgeConfirm);

$('purge-confirm').querySelector('[data-action="purge-cancel"]').addEventListener('click', () => {
  hidePurgeConfirm();
  $('purge').querySelector('[data-action="purge"]').focus();
});

$('purge-confirm').querySelector('[data-action="purge-confirm"]').addEventListener('click', (event) => {
  const days = purgeDays;
  act(event.currentTarget, async () => {
    const purged = await api('POST', 'purge', { olderThanDays: days });
    hidePurgeConfirm();
    return `Purged ${plural(purged.deleted, 'message')} older than ${plural(days, 'day')}`;
  }, 'purge');
});

$('purge-confirm').addEventListener('keydown', (event) => {
  if (event.key === 'Escape') $('purge-confirm').querySelector('[data-action="purge-cancel"]').click();
});

function hidePurgeConfirm() {
  $('purge-confirm').hidden = true;
  purgeDays = null;
}

// ---- Limits ----

/** The server's limits in the form; with keepEdits (a reload), a field changed and not saved yet stays. */
function showLimits(values, { keepEdits = false } = {}) {
  for (const name of LIMIT_FIELDS) {
    const input = $(`limit-${name}`);
    const edited = keepEdits && limits !== null && input.value !== String(limits[name] ?? '');
    if (!edited) input.value = values[name] ?? '';
  }
  limits = values;
  const others = Object.entries(values).filter(([name]) => !LIMIT_FIELDS.includes(name));
  $('limits-other').replaceChildren(...others.flatMap(([name, value]) => {
    const term = document.createElement('dt');
    term.textContent = name;
    const definition = document.createElement('dd');
    definition.textContent = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
    return [term, definition];
  }));
  // A notice is a message: the browser stops it where no text the server takes is longer. The server counts code
  // points, the browser UTF-16 units, of which a code point takes one or two: the server says when it is too long.
  if (values.maxTextChars > 0) {
    $('notice-room-text').maxLength = 2 * values.maxTextChars;
    $('notice-all-text').maxLength = 2 * values.maxTextChars;
  }
}

// Only the changed fields are sent, so that Save does not undo what another operator changed meanwhile.
$('limits').addEventListener('submit', (event) => {
  event.preventDefault();
  const change = {};
  for (const name of LIMIT_FIELDS) {
    const value = Number($(`limit-${name}`).value);
    if (value !== limits?.[name]) change[name] = value;
  }
  if (Object.keys(change).length === 0) {
    say('No limit changed.');
    return;
  }
  act(submitterOf(event), async () => {
    showLimits(await api('PUT', 'limits', change));
    return `Limits saved: ${Object.entries(change).map(([name, value]) => `${name} ${value}`).join(', ')}`;
  });
});

// Saved limits outlast restarts; this forgets every one saved, on every node.
$('limits-reset').addEventListener('click', (event) => {
  act(event.currentTarget, async () => {
    showLimits(await api('DELETE', 'limits'));
    return 'The configured limits are in force again.';
  });
});

// ---- Small helpers ----

function tableRow(data, key) {
  const row = document.createElement('tr');
  Object.assign(row.dataset, data);
  row.dataset.key = key;
  return row;
}

/** A cell; its label heads it when the table is stacked on a narrow screen. */
function cell(label, content) {
  const td = document.createElement('td');
  td.dataset.label = label;
  if (content instanceof Node) td.append(content);
  else td.textContent = content === null || content === undefined || content === '' ? '—' : String(content);
  return td;
}

function actions(...controls) {
  const td = document.createElement('td');
  td.className = 'actions';
  td.append(...controls);
  return td;
}

/** A small button; `name` is the accessible name when the visible label alone would be ambiguous in a table. */
function button(label, action, onClick, name) {
  const control = document.createElement('button');
  control.type = 'button';
  control.className = 'small';
  control.textContent = label;
  control.dataset.action = action;
  if (name) control.setAttribute('aria-label', name);
  if (onClick) control.addEventListener('click', () => onClick(control));
  return control;
}

function time(iso) {
  if (!iso) return '—';
  const element = document.createElement('time');
  element.dateTime = iso;
  const date = new Date(iso);
  element.textContent = Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
  return element;
}

function byUser(connections) {
  const users = new Map();
  for (const connection of connections) {
    if (!users.has(connection.user)) users.set(connection.user, []);
    users.get(connection.user).push(connection);
  }
  return [...users].sort(([a], [b]) => a.localeCompare(b));
}

function byName(field) {
  return (a, b) => String(a[field]).localeCompare(String(b[field]));
}

function distinct(items, field) {
  return [...new Set(items.map((item) => item[field]).filter(Boolean))].join(', ');
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function submitterOf(event) {
  return event.submitter ?? event.target.querySelector('button[type="submit"]');
}

if (sessionStorage.getItem(TOKEN_KEY)) start(); else showSignIn();
