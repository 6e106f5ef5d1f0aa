// The chat page: sign in (account or guest), list and join rooms, show history, live messages, presence
// and typing, and send. User text is only ever set with textContent.
import {
  ParleyClient, accountLogin, changePassword, deleteAccount, guestLogin, register,
} from './parley-client.js';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'parley.token';
const ROOM_KEY = 'parley.room'; // {user, room}: the open room, which a reload of the tab comes back to

const rooms = new Map(); // name -> {seq, unread, firstUnread, mentions, online: Set, heldUpTo, seenUpTo, role, ...}
let client = null;
let me = null;
let current = null;
let lastTyping = 0;
const typists = new Map(); // who is typing in the open room -> the timer that forgets them
let editing = null; // the seq of the own message being edited in the composer
let draftBeforeEdit = ''; // what was typed in the box when an edit began: back in it when the edit ends
let editMillis = Infinity; // how long after sending the server takes an edit: the welcome's editSeconds
let serverAhead = 0; // how far the server's clock is ahead of the page's (ms), as the last receipt showed it
let replyingTo = null; // the seq of the message the next one answers
let shownUpTo = 0; // the highest seq the open room shows: older ones (a catch-up's pages) are not added below it
let opening = 0; // counts openRoom calls: one that a later call overtook stops where it is
let unloaded = null; // the open room whose history did not come (the connection dropped): asked again
let earliest = null; // the open room's first seq shown, while older messages exist ("Earlier messages" asks)
let searched = null; // {room, text, before}: the search shown, and where its next page starts (null: none left)
let unseen = 0; // messages that came to the open room while the tab was hidden: the title counts them till seen
let firstUnseen = null; // the seq of the first of them, which "New messages" is put above when the tab shows
let pinned = new Set(); // the open room's pinned seqs: asked on opening it, kept by its pin events
let pinsAsked = null; // {room, stale}: the pinned seqs being asked; stale when a pin event came meanwhile
let pinsDrawn = 0; // counts renderPins calls: an answer that a later call overtook is not drawn
let membersShown = []; // the open room's members as last asked for; presence keeps their marks while listed
// The open room's reactions: seq -> Map of "user emoji" -> {user, emoji, on, seq}, each the newest event of that
// person and emoji seen (live, or in a page of history, in any order: an older event read later changes nothing).
let reactions = new Map();
// While the page sets a new password (or deletes the account), the server closes the connection of its old token
// (4501): the page then goes on with the new one (or signs out) rather than asking for the password.
// endedMeanwhile is the reason of that close.
let changingAccount = false;
let endedMeanwhile = null;
/** Why the connection ended for good (kicked, banned, ...): shown until the page signs in again. */
let ended = null;
const drafts = new Map(); // room -> what its message box held when another room was opened
const ackTimers = new Map(); // room -> the timer of its next ack
let lastAckAt = 0; // when the latest ack timer fires: the next one fires at least 1/ACKS_PER_SECOND later
/** Acks a second, all rooms together: half the frames a connection may send, the rest is for the person. */
const ACKS_PER_SECOND = 10;
// Lines (messages and day lines) the open room keeps while the reader follows it live: past that the oldest go, and
// "Earlier messages" brings them back. A room open all day would otherwise slow every line added to it.
const MAX_LINES = 300;
// Unread lines of a room not open that the page keeps one by one (their seqs, whether they name the reader): past
// that the oldest half are kept as a count, as a welcome's, so that a room left unopened all day costs no more.
const MAX_WAITING = 1000;
const MAX_TIMER = 2 ** 31 - 1; // setTimeout's longest delay (ms): a longer one fires at once

/**
 * Where the page's address sends it, once signed in: an invitation link's room and code (#join=ROOM&code=CODE),
 * or a message's room and seq (#room=ROOM&seq=SEQ, the address of a message's time). Given when the page opens or
 * later (a link followed, an address pasted), and taken off the address once followed, so that a reload does not
 * follow it again.
 */
let addressed = placeIn(location.hash);

function placeIn(hash) {
  const asked = new URLSearchParams(hash.slice(1));
  if (asked.get('join') && asked.get('code')) return { room: asked.get('join'), code: asked.get('code') };
  const seq = Number(asked.get('seq'));
  return asked.get('room') && Number.isSafeInteger(seq) && seq > 0 ? { room: asked.get('room'), seq } : null;
}

window.addEventListener('hashchange', () => {
  addressed = placeIn(location.hash);
  if (client && !$('chat').hidden) followAddress().catch(showError);
});

/** Joins the room the address names (with the invitation's code) and shows the message it names, if any. */
async function followAddress() {
  if (!addressed) return;
  const { room, code, seq } = addressed;
  addressed = null;
  history.replaceState(null, '', location.pathname + location.search);
  if (room !== current || code) await openRoom(room, undefined, code);
  if (seq && current === room) await showInConversation(seq);
}

const GUEST_PREFIX = 'guest-';
const PIN_EVENTS = ['pinned', 'unpinned']; // lines about another message, quoted above them
const REACTION_EVENTS = ['reacted', 'unreacted']; // shown under the message they answer, not as lines
/** The reactions the page offers; any other a member made is shown and may be joined by a click. */
const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '👀'];
/** The reason of the server's 4501 when a new password ended the token. */
const PASSWORD_CHANGED = 'signed out: the password changed';
const ACCOUNT_DELETED = 'signed out: the account was deleted';

$('guest').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn(() => guestLogin($('nickname').value.trim()));
});

$('account').addEventListener('submit', (event) => {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  const creating = event.submitter?.value === 'register';
  signIn(async () => {
    if (creating) await register(username, password);
    return accountLogin(username, password);
  });
  $('password').value = '';
});

async function signIn(getToken) {
  $('login-error').textContent = '';
  try {
    const login = await getToken();
    sessionStorage.setItem(TOKEN_KEY, JSON.stringify(login));
    await start(login);
  } catch (error) {
    $('login-error').textContent = error.message;
  }
}

$('password-toggle').addEventListener('click', () => showPasswordForm($('password-form').hidden));

function showPasswordForm(shown) {
  $('password-form').hidden = !shown;
  $('password-toggle').setAttribute('aria-expanded', String(shown));
  if (!shown) $('delete-confirm').hidden = true;
  if (shown) $('current-password').focus();
}

$('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = me;
  const submit = $('password-form').querySelector('button[type="submit"]');
  submit.disabled = true; // a second request would be refused: the first changed the password
  changingAccount = true;
  endedMeanwhile = null;
  let login;
  try {
    login = await changePassword(user, $('current-password').value, $('new-password').value);
  } catch (error) {
    $('current-password').value = '';
    $('current-password').focus();
    showError(new Error(`Password not changed: ${error.message}`));
    if (endedMeanwhile !== null) renewSession(user, endedMeanwhile); // expired, or changed elsewhere first
    return;
  } finally {
    changingAccount = false;
    submit.disabled = false;
  }
  // No await before start() replaces the client: the old one's 4501 cannot reach the page after this point.
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify(login));
  $('password-form').reset();
  showPasswordForm(false);
  try {
    await start(login);
    tell('Your password is changed, and your other devices are signed out.');
  } catch (error) {
    showError(error);
  }
});

$('delete-account').addEventListener('click', () => {
  $('delete-confirm').hidden = false;
  $('current-password').focus();
});

/** The account ends for good, given its password: the page signs out, as the user's other devices do (4501). */
$('delete-for-good').addEventListener('click', async () => {
  const user = me;
  const password = $('current-password').value;
  if (!password) {
    showError(new Error('Enter your current password to delete your account.'));
    $('current-password').focus();
    return;
  }
  $('delete-for-good').disabled = true;
  changingAccount = true;
  try {
    await deleteAccount(user, password);
  } catch (error) {
    $('current-password').value = '';
    showError(new Error(`Account not deleted: ${error.message}`));
    return;
  } finally {
    changingAccount = false;
    $('delete-for-good').disabled = false;
  }
  const deleted = client;
  client = null;
  deleted?.close();
  $('password-form').reset();
  $('delete-confirm').hidden = true;
  renewSession(user, ACCOUNT_DELETED);
});

/**
 * The token ran out, or a new password set elsewhere ended it (close 4501). A guest simply gets a new one for
 * the same nickname; a registered user is asked for the password again, which the page never keeps.
 */
function renewSession(user, reason = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  if (user.startsWith(GUEST_PREFIX)) {
    signIn(() => guestLogin(user.slice(GUEST_PREFIX.length)));
    return;
  }
  $('chat').hidden = true;
  showPasswordForm(false);
  $('password-toggle').hidden = true;
  $('login').hidden = false;
  if (reason === ACCOUNT_DELETED) {
    $('me').textContent = '';
    $('username').value = '';
    $('login-error').textContent = 'Your account was deleted.';
    return;
  }
  $('username').value = user;
  $('login-error').textContent = reason === PASSWORD_CHANGED
    ? 'Your password was changed: enter the new one to go on.'
    : 'Your session expired: enter your password to go on.';
  $('password').focus();
}

$('join').addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = $('room-name').value.trim();
  try {
    await openRoom(name, $('room-password').value);
    $('room-name').value = '';
    $('room-password').value = '';
  } catch (error) {
    showError(error);
  }
});

// ---- The directory: the rooms anybody may join, by the start of their names (what the join box holds) ----

/** Rooms a page of the directory shows: a sidebar's worth. The newest question, whose answer alone is shown. */
const DIRECTORY_PAGE = 20;
let directoryAsked = 0;
let directoryTyping = null;

$('directory-toggle').addEventListener('click', () => {
  const open = $('directory').hidden;
  $('directory').hidden = !open;
  $('directory-toggle').setAttribute('aria-expanded', String(open));
  if (open) browseRooms(true);
});
$('directory-more').addEventListener('click', () => browseRooms(false));
// What is typed in the join box narrows the list, once the typing pauses (each question is a frame).
$('room-name').addEventListener('input', () => {
  if ($('directory').hidden) return;
  clearTimeout(directoryTyping);
  directoryTyping = setTimeout(() => browseRooms(true), 300);
});

async function browseRooms(fresh) {
  const typed = $('room-name').value.trim();
  const prefix = /^[A-Za-z0-9_.-]*$/.test(typed) ? typed : '';
  // A next page starts after the last room listed.
  const after = fresh ? null : $('directory-list').lastElementChild?.querySelector('button').dataset.room;
  const asked = ++directoryAsked;
  try {
    const page = await client.directory(prefix, after, DIRECTORY_PAGE);
    if (asked !== directoryAsked) return;
    if (fresh) $('directory-list').replaceChildren();
    $('directory-list').append(...page.items.map(directoryItem));
    $('directory-empty').hidden = $('directory-list').children.length > 0;
    $('directory-more').hidden = !page.more;
  } catch (error) {
    showError(error);
  }
}

/**
 * A public room is joined with a click; a password room's name goes into the join box, to add the password. Its
 * topic, if it has one, says what it is about.
 */
function directoryItem({ room, access, members, topic }) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'action';
  button.dataset.room = room;
  button.textContent = `${room} · ${members} ${members === 1 ? 'member' : 'members'}`
    + (access === 'password' ? ' · password' : '');
  if (topic) {
    const about = document.createElement('span');
    about.className = 'directory-topic';
    about.textContent = topic;
    button.append(about);
  }
  button.addEventListener('click', async () => {
    if (access === 'password') {
      $('room-name').value = room;
      $('room-password').focus();
      return;
    }
    try {
      await openRoom(room);
    } catch (error) {
      showError(error);
    }
  });
  const item = document.createElement('li');
  item.append(button);
  return item;
}

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('text').value;
  if (!current || !text.trim()) return;
  $('text').value = '';
  const room = current;
  if (editing) {
    const seq = editing;
    const draft = draftBeforeEdit;
    stopEditing();
    $('text').value = draft;
    client.edit(room, seq, text).catch((error) => {
      showError(error);
      const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
      const untouched = room === current && !editing && !replyingTo && $('text').value === draft;
      if (!untouched || !item || item.classList.contains('deleted')) return;
      // Refused for what may pass (too long, muted): to be edited again, over what was typed before it. Forbidden
      // (past the window, by the server's clock) the text goes into an empty box, to be sent as a new message.
      if (error.code !== 'forbidden' && editTimeLeft(item) > 0) startEditing(item);
      else if (draft !== '') return;
      $('text').value = text;
    });
    return;
  }
  const clientMsgId = crypto.randomUUID();
  const replyTo = replyingTo ?? undefined;
  stopReplying();
  renderMessage({ from: me, text, clientMsgId, replyTo, pending: true });
  try {
    // Resolves when the receipt arrives, after reconnects if need be; rejects only when refused.
    const asked = Date.now();
    const receipt = await client.send(room, text, clientMsgId, replyTo);
    takeServerTime(receipt.ts, asked);
    // Looked up now: the room may have been opened again meanwhile, which drew its pending messages anew.
    const item = pendingItem(clientMsgId);
    if (item) markStored(item, receipt.seq, receipt.ts);
  } catch (error) {
    pendingItem(clientMsgId)?.remove();
    showError(error);
    // Refused (too long, muted, ...): the text goes back into the box, if it is free, to be changed and sent;
    // another room open by now, it becomes that room's draft, if it has none.
    if (boxFreeIn(room)) {
      $('text').value = text;
      const answered = replyTo && document.querySelector(`#messages li[data-seq="${replyTo}"]`);
      if (answered) startReplying(answered);
    } else if (room !== current && rooms.has(room) && !drafts.get(room)) {
      drafts.set(room, text);
    }
  }
});

/**
 * The server's clock as a receipt showed it: its time was written between the send and the answer. Only a quick
 * answer tells (one after a reconnect may be of a message stored long before). A change of more than a second
 * redraws the open room's actions, whose Edit goes by it.
 */
function takeServerTime(ts, asked) {
  const now = Date.now();
  const ahead = Date.parse(ts) - now;
  if (now - asked > 5000 || !Number.isFinite(ahead)) return;
  const moved = Math.abs(ahead - serverAhead) > 1000;
  serverAhead = ahead;
  if (moved) renewMessageActions();
}

/** Whether the room is open and its message box empty, neither editing nor answering: a refused text may go back. */
function boxFreeIn(room) {
  return room === current && !editing && !replyingTo && $('text').value === '';
}

$('text').addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && editing) {
    stopEditing();
    $('text').value = draftBeforeEdit;
  } else if (event.key === 'Escape' && replyingTo) {
    stopReplying();
  } else if (event.key === 'Tab' && completeMention()) {
    event.preventDefault();
  } else if (event.key === 'ArrowUp' && !editing && !replyingTo && $('text').value === '') {
    // As in most chats: Up in an empty box takes the reader's last message there to be edited.
    const own = [...document.querySelectorAll('#messages li.mine[data-seq]:not(.deleted)')]
      .filter((li) => li.querySelector(':scope > .actions [data-action="edit"]')).at(-1);
    if (own) {
      event.preventDefault();
      startEditing(own);
    }
  }
});

/** An invitation link of the open room: made, shown as a web address to copy, and copied where the browser lets. */
$('link-make').addEventListener('click', oneAtATime($('link-make'), async () => {
  const room = current;
  try {
    const link = await client.request({ type: 'link', room });
    if (current !== room) return;
    const address = new URL(location.href);
    address.hash = new URLSearchParams({ join: room, code: link.code }).toString();
    $('link-url').value = address.toString();
    $('link-note').textContent = `Whoever has this link joins ${titleOf(room)} until ${dateTimeOf(link.expires)}.`;
    $('link-panel').hidden = false;
    $('link-url').select();
    await navigator.clipboard?.writeText(address.toString()).catch(() => {}); // http pages may not copy
    await renderLinks(room);
  } catch (error) {
    showError(error);
  }
}));

/** Every invitation link of the open room stops working: one that went further than meant is closed. */
$('link-remove').addEventListener('click', oneAtATime($('link-remove'), async () => {
  const room = current;
  try {
    await client.request({ type: 'unlink', room });
    if (current !== room) return;
    $('link-url').value = '';
    $('link-note').textContent = `No invitation link of ${titleOf(room)} works any more.`;
    $('link-list').replaceChildren();
  } catch (error) {
    showError(error);
  }
}));

/** The open room's links in force, so that its owner and moderators know every way in and can end each. */
async function renderLinks(room) {
  const { items } = await client.request({ type: 'links', room });
  if (current === room) $('link-list').replaceChildren(...items.map((link) => linkItem(room, link)));
}

function linkItem(room, { code, by, expires }) {
  const item = document.createElement('li');
  item.dataset.code = code;
  const about = document.createElement('span');
  // The code's start tells the links apart; the whole of it is a secret, shown only when the link is made.
  about.textContent = `${code.slice(0, 6)}… by ${by}, until ${dateTimeOf(expires)}`;
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'action';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove the link ${code.slice(0, 6)}… by ${by}`);
  remove.addEventListener('click', async () => {
    try {
      await client.request({ type: 'unlink', room, code });
      if (current !== room) return;
      forgetShown(code, 'That link no longer works.');
      await renderLinks(room);
    } catch (error) {
      showError(error);
    }
  });
  item.append(about, remove);
  // Gone from the list when it ends, by the server's clock as the last receipt showed it (a link of more than a
  // timer's reach, some 24 days, is none: a week at most).
  const left = Date.parse(expires) - (Date.now() + serverAhead);
  if (left <= MAX_TIMER) {
    setTimeout(() => {
      item.remove();
      forgetShown(code, 'That link has expired.');
    }, Math.max(left, 0));
  }
  return item;
}

/** The link just made, still shown to be copied, no longer works: its address goes, the note says why. */
function forgetShown(code, note) {
  if (!$('link-url').value.endsWith(`code=${code}`)) return;
  $('link-url').value = '';
  $('link-note').textContent = note;
}

$('link-close').addEventListener('click', () => hidePanel($('link-panel'), $('link-make')));

/**
 * Hides a panel of the room. Focus inside it would fall back to the top of the page, so it goes to the button that
 * opens the panel, or to the message box when that button is gone too.
 */
function hidePanel(panel, opener) {
  const focused = panel.contains(document.activeElement);
  panel.hidden = true;
  if (!focused) return;
  if (!opener.hidden) opener.focus();
  else if (!$('composer').hidden) $('text').focus();
}

$('members-toggle').addEventListener('click', () => {
  const open = $('member-list').hidden;
  $('member-list').hidden = !open;
  $('members-toggle').setAttribute('aria-expanded', String(open));
  if (open) renderMembers().catch(showError);
});

/**
 * Every member of the open room with their role and whether they are online; a moderator's tools too, and the
 * owner's choice of moderators.
 */
async function renderMembers() {
  const name = current;
  const { items } = await client.request({ type: 'members', room: name });
  if (name !== current || $('member-list').hidden) return;
  membersShown = items;
  const room = rooms.get(name);
  const moderator = !room.with && (room.role === 'owner' || room.role === 'moderator');
  $('member-list').replaceChildren(...items.map((member) => {
    const li = document.createElement('li');
    li.dataset.user = member.user;
    li.textContent = memberText(member);
    if (member.user === me) return li;
    const tools = memberTools(member.user, moderator && member.role !== 'owner');
    if (!room.with && room.role === 'owner') tools.append(roleButton(member), handOverButton(member.user));
    li.append(tools);
    return li;
  }));
}

/** A member as the list says it: name, role, away when not online, tips. */
function memberText(member) {
  const tips = member.tips > 0 ? ` · ${member.tips} in tips` : '';
  return `${member.user} · ${member.role}${member.online ? '' : ' · away'}${tips}`;
}

/** Makes a member a moderator, or a moderator a member again; the server tells the room (a frame `role`). */
function roleButton(member) {
  const role = member.role === 'moderator' ? 'member' : 'moderator';
  const label = `Make ${role}`;
  return actionButton(label, 'role', () => client.request({ type: 'role', room: current, user: member.user, role })
    .catch(showError), `${label}: ${member.user}`);
}

/**
 * Gives the open room to the member, at the second press: the owner stays on as a moderator and cannot take it
 * back. The server tells the room (frames `role`), and the member lists follow.
 */
function handOverButton(user) {
  const button = actionButton('Make owner', 'hand-over', (event) => {
    if (event.detail > 1) return; // the second click of a double click is no second press
    if (button.dataset.action === 'hand-over') {
      button.dataset.action = 'hand-over-confirm';
      button.textContent = `Give ${current} to ${user}`;
      button.setAttribute('aria-label', `Give ${current} to ${user}: you stay on as a moderator`);
      return;
    }
    return client.request({ type: 'role', room: current, user, role: 'owner' }).catch(showError);
  }, `Make ${user} the owner of the room`);
  return button;
}

/**
 * The owner changed somebody's role, or gave the room away. One's own decides what the page offers (an owner's
 * or a moderator's tools, the topic, deleting others' messages), at once rather than when the room is opened
 * again; the member list shows roles.
 */
function onRoleChanged(changed) {
  const room = rooms.get(changed.room);
  if (!room) return;
  if (changed.user === me) {
    room.role = changed.role;
    room.roleNews = (room.roleNews ?? 0) + 1; // newer than the answer to a join asked before it (see openRoom)
  }
  if (changed.room !== current) return;
  if (changed.user === me) {
    renderTopic();
    renderOnline();
    renewMessageActions();
  }
  if (!$('member-list').hidden) renderMembers().catch(showError);
  if (changed.user === me && !$('pins').hidden) renderPins().catch(showError);
}

$('reply-cancel').addEventListener('click', () => {
  stopReplying();
  $('text').focus();
});

/** The next message answers this one; the bar above the composer says which. */
function startReplying(item) {
  if (!item.dataset.seq) return;
  replyingTo = Number(item.dataset.seq);
  $('reply-text').textContent = `Replying to ${quoteOf(replyingTo)}`;
  $('reply-bar').hidden = false;
  $('text').focus();
}

function stopReplying() {
  replyingTo = null;
  $('reply-bar').hidden = true;
}

/** "sender: the start of the text", for the message with this seq as the page shows it. */
function quoteOf(seq) {
  const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
  if (!item) return 'an earlier message';
  if (item.classList.contains('deleted')) return 'a deleted message';
  const text = item.querySelector('.text').textContent;
  return `${item.dataset.from}: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`;
}

/** Tab after "@bo" completes the name of somebody online in the room. */
function completeMention() {
  const input = $('text');
  const before = input.value.slice(0, input.selectionStart);
  const match = /(^|\s)@([A-Za-z0-9_.-]*)$/.exec(before);
  if (!match || !current) return false;
  const name = [...rooms.get(current).online].sort().find((user) => user !== me && user.startsWith(match[2]));
  if (!name) return false;
  const completed = `${before.slice(0, before.length - match[2].length)}${name} `;
  input.value = completed + input.value.slice(input.selectionStart);
  input.setSelectionRange(completed.length, completed.length);
  return true;
}

/** Own messages can be edited in the composer: Enter saves, Escape gives up. */
function startEditing(item) {
  if (editing === null) draftBeforeEdit = $('text').value;
  editing = Number(item.dataset.seq);
  $('text').value = item.querySelector('.text').dataset.source;
  $('composer').classList.add('editing');
  $('text').setAttribute('aria-label', 'Edit your message (Escape to cancel)');
  $('text').focus();
}

/**
 * How long the server still takes an edit of this stored line of ours (ms): from its time as the server wrote it,
 * by the server's clock as the last receipt showed it.
 */
function editTimeLeft(item) {
  return Date.parse(item.dataset.ts) + editMillis - (Date.now() + serverAhead);
}

function stopEditing() {
  editing = null;
  $('composer').classList.remove('editing');
  $('text').removeAttribute('aria-label');
}

$('text').addEventListener('input', () => {
  const now = Date.now();
  if (current && now - lastTyping > 3000) {
    lastTyping = now;
    client.typing(current);
  }
});

/** The room the tab had open before a reload, as saved: {user, room}, or null. */
function keptRoom() {
  try {
    return JSON.parse(sessionStorage.getItem(ROOM_KEY) ?? 'null');
  } catch {
    return null; // not ours to read (another script's, or cut short)
  }
}

async function start(login) {
  // Signing in again while the last client is still trying again (turned away, say): that one stops, and
  // nothing it still says reaches the page (not even its own close, told at once when it had no socket).
  const previous = client;
  client = null;
  previous?.close();
  // The same person again (a renewed token, a new password) goes on where they were, with what they typed;
  // somebody else finds nothing of theirs.
  const kept = keptRoom();
  const again = login.user === me ? current : null;
  const back = again ?? (kept?.user === login.user ? kept.room : null);
  if (again) drafts.set(again, editing ? draftBeforeEdit : $('text').value);
  if (login.user !== me) drafts.clear();
  if (me && login.user !== me) closeRoomView(); // the last person's room is not shown to the next
  ended = null;
  for (const control of $('composer').elements) control.disabled = false;
  me = login.user;
  $('me').textContent = me;
  $('password-toggle').hidden = me.startsWith(GUEST_PREFIX); // a guest has no password
  const mine = new ParleyClient({ token: login.token, user: login.user });
  client = mine;
  const on = (type, handler) => mine.addEventListener(type, (event) => { if (client === mine) handler(event); });
  on('state', (event) => {
    $('state').textContent = event.detail;
    $('state').dataset.state = event.detail;
  });
  on('close', (event) => {
    const { code, reason, reconnecting } = event.detail;
    if (code === 4501 && changingAccount) endedMeanwhile = reason;
    else if (code === 4501) renewSession(login.user, reason);
    else if (code === 4503) endSession('An administrator disconnected you. Reload to come back.');
    else if (code === 4504) endSession('You are banned from this server.');
    else if (!reconnecting) endSession(`Disconnected (${code}${reason ? `: ${reason}` : ''}). Reload to come back.`);
  });
  on('turned-away', (event) => {
    const told = `Not connected: ${event.detail.message}. Trying again…`;
    if ($('chat').hidden) {
      $('login-error').textContent = told;
    } else {
      showError(new Error(told));
    }
  });
  on('joined', (event) => onJoined(event.detail));
  on('left', (event) => onLeft(event.detail));
  on('message', (event) => onMessage(event.detail));
  on('again', (event) => {
    const { room, seq } = event.detail;
    if (rooms.has(room)) markHeld(room, seq); else client.ack(room, seq, 0);
  });
  on('presence', (event) => onPresence(event.detail));
  on('typing', (event) => onTyping(event.detail));
  on('role', (event) => onRoleChanged(event.detail));
  on('archived', (event) => onArchived(event.detail));
  on('read', (event) => onReadElsewhere(event.detail));
  on('refused', (event) => {
    const { clientMsgId, error } = event.detail;
    pendingItem(clientMsgId)?.remove();
    showError(new Error(`Not sent: ${error.message}`));
  });
  on('reload', (event) => {
    if (event.detail.room === current) openRoom(current).catch(showError);
  });
  rooms.clear();
  current = null;
  unloaded = null;
  let welcome;
  try {
    welcome = await mine.connect();
  } catch (error) {
    if (client !== mine) return; // closed for a newer sign-in
    throw error;
  }
  if (client !== mine) return;
  // Every later welcome follows a reconnect: rooms joined or left meanwhile on another device, and who came
  // and went while this page heard nothing.
  on('welcome', (event) => onReconnected(event.detail));
  $('login').hidden = true;
  $('chat').hidden = false;
  editMillis = editWindowOf(welcome);
  takeRooms(welcome.rooms);
  if (addressed) {
    await followAddress().catch(showError);
  } else if (welcome.rooms.length > 0) {
    // Signed in whatever the room does (a refused join, say): the saved token stays good.
    await openRoom(welcome.rooms.some((r) => r.room === back) ? back : welcome.rooms[0].room).catch(showError);
  }
}

/**
 * What the welcome counts unread in a room replaces the page's count: after a reconnect it holds what was read on
 * another device meanwhile, and the lines the replay brings (no longer news to the count: seq moves past them).
 */
function countFromWelcome(room, listed) {
  room.seq = Math.max(room.seq, listed.seq);
  // The unread lines are after the read marker (markNewFrom passes over events and the reader's own).
  room.counted = { unread: listed.unread, mentions: listed.mentions ?? 0, read: listed.read, upTo: listed.seq };
  room.waiting = [];
  readUpTo(room, 0);
}

/** The rooms a welcome lists are the user's: new ones are added, those gone are taken out. */
function takeRooms(list) {
  const names = new Set(list.map((room) => room.room));
  for (const listed of list) {
    if (!rooms.has(listed.room)) rooms.set(listed.room, { seq: listed.seq, with: listed.with, online: new Set() });
    const room = rooms.get(listed.room);
    // The open room counts nothing unread; its replay is shown.
    if (listed.room !== current) countFromWelcome(room, listed);
    // The topic now: one set while the page was away is also replayed, in its place among the messages.
    room.topic = listed.topic;
    // Archived or reopened while the page was away: the open room gives up, or offers again, what that changes.
    if (listed.room === current) setArchived(listed.room, listed.archived === true);
    else room.archived = listed.archived === true;
  }
  for (const name of [...rooms.keys()].filter((name) => !names.has(name))) {
    rooms.delete(name);
    if (name === current) closeRoomView();
  }
  renderRooms();
  if (current) renderTopic();
}

/** How long the welcome's server takes edits (ms): as long as the page likes when it does not say. */
function editWindowOf(welcome) {
  return (welcome.editSeconds ?? Infinity) * 1000;
}

async function onReconnected(welcome) {
  editMillis = editWindowOf(welcome);
  takeRooms(welcome.rooms);
  if (!current) return;
  // Timers do not run while the computer sleeps: the windows of edits and links that closed meanwhile close now.
  renewMessageActions();
  if (!$('link-panel').hidden) renderLinks(current).catch(showError);
  // Pins asked when the connection dropped (their answers are lost): asked again.
  if (pinsAsked?.room === current) loadPinned(current).catch(showError);
  if (!$('pins').hidden) renderPins().catch(showError);
  if (unloaded === current) {
    reloadUnloaded();
    return;
  }
  const name = current;
  const { roleNews, archiveNews } = rooms.get(name) ?? {};
  const joined = await client.join(name).catch(() => null);
  const room = rooms.get(name);
  if (!joined || name !== current || !room) return;
  room.online = new Set(joined.online);
  renderOnline();
  // Told while the page heard nothing, and not replayed: the reader's role, the room archived or reopened (as in
  // openRoom, not over a word of either that came while the join was answered).
  if (room.roleNews === roleNews && joined.role !== room.role) {
    onRoleChanged({ room: name, user: me, role: joined.role });
  }
  if (room.archiveNews === archiveNews) setArchived(name, joined.archived === true);
}

function reloadUnloaded() {
  if (!unloaded || unloaded !== current) return;
  openRoom(current).catch((error) => {
    showError(error);
    // The join before it turned away for now: asked again in a moment, as the history would be.
    if (error.code === 'rate_limited' || error.code === 'internal') setTimeout(reloadUnloaded, 2000);
  });
}

$('leave').addEventListener('click', oneAtATime($('leave'), async () => {
  const name = current;
  if (!name) return;
  try {
    await client.leave(name);
    rooms.delete(name);
    if (name === current) closeRoomView();
    renderRooms();
  } catch (error) {
    showError(error);
  }
}));

/**
 * Archives the open room, at the second press: read-only for everybody from then on (its members keep reading it,
 * and only an administrator reopens it). The room hears of it as a system line.
 */
$('archive').addEventListener('click', oneAtATime($('archive'), (event) => {
  const button = $('archive');
  const room = current;
  if (!room || event.detail > 1) return; // the second click of a double click is no second press
  if (button.dataset.room !== room) {
    button.dataset.room = room;
    button.textContent = `Archive ${room} for everybody`;
    button.setAttribute('aria-label',
      `Archive ${room}: nobody writes in it any more; only an administrator reopens it`);
    return;
  }
  resetArchiveButton();
  return client.request({ type: 'archive', room }).then(() => onArchived({ room, archived: true }), showError);
}));

/**
 * A room archived (read-only from then on) or reopened: the server tells the room's open pages, the archiving
 * owner's among them (whose answer tells it too).
 */
function onArchived({ room: name, archived }) {
  const room = rooms.get(name);
  if (!room) return;
  room.archiveNews = (room.archiveNews ?? 0) + 1; // as a role's (see openRoom)
  setArchived(name, archived);
}

/**
 * The room archived or open, as the page was told. Open, a room just archived gives up what it no longer takes (an
 * edit under way, a reply, the topic form, the palette, an Archive asked once); one reopened offers them again.
 */
function setArchived(name, archived) {
  const room = rooms.get(name);
  if (!room || Boolean(room.archived) === archived) return;
  room.archived = archived;
  renderRooms();
  if (name !== current) return;
  resetArchiveButton();
  showTopicForm(false); // what it offers changes
  if (archived) {
    if (editing) $('text').value = draftBeforeEdit; // the edit is given up; what was typed before it stays
    stopEditing();
    stopReplying();
    document.querySelector('#messages .palette')?.remove();
  }
  showArchived();
  renderTopic();
  renderOnline();
  if (!$('member-list').hidden) renderMembers().catch(showError);
  renewMessageActions();
  for (const chip of document.querySelectorAll('#messages .reactions button')) chip.disabled = archived;
}

/**
 * An archived room offers a note in place of the message box; what it refuses is not offered either (the room's
 * tools, its lines' actions and reactions). Known from the join that opens the room and from the server's word
 * when the room is archived or reopened while open.
 */
function showArchived() {
  const archived = Boolean(rooms.get(current)?.archived);
  $('composer').hidden = archived;
  $('archived-note').hidden = !archived;
}

function resetArchiveButton() {
  const button = $('archive');
  delete button.dataset.room;
  button.textContent = 'Archive';
  button.setAttribute('aria-label', 'Archive the room');
}

/** No room open: the title asks for one, and nothing of the last room's is left to see or press. */
function closeRoomView() {
  // Focus on a control of the room's would fall to the top of the page as it goes: the box to join one takes it.
  if (document.activeElement?.closest('section.room, aside.online')) $('room-name').focus();
  current = null;
  sessionStorage.removeItem(ROOM_KEY);
  $('room-title').textContent = 'Pick a room';
  $('messages').replaceChildren();
  showEarlier(null);
  dropRoomState();
  $('link-make').hidden = true;
  $('members-toggle').hidden = true;
  $('composer').hidden = true;
  $('archived-note').hidden = true;
  $('leave').hidden = true;
  $('archive').hidden = true;
  $('room-topic').hidden = true;
  $('topic-toggle').hidden = true;
  showTopicForm(false);
  $('search-toggle').hidden = true;
  showSearch(false);
  $('pins-toggle').hidden = true;
  showPins(false);
  $('online-list').replaceChildren();
  $('online-count').textContent = '';
}

/**
 * What belonged to the room shown goes with it: an edit or a reply under way, who was typing, its links panel and
 * members list (the topic, search and pins panels each close by their own function).
 */
function dropRoomState() {
  stopEditing();
  stopReplying();
  clearTyping();
  $('to-latest').hidden = true;
  $('link-panel').hidden = true;
  $('member-list').hidden = true;
  $('member-list').replaceChildren();
  membersShown = [];
  $('members-toggle').setAttribute('aria-expanded', 'false');
}

async function openRoom(name, password, code) {
  const mine = ++opening;
  const { roleNews, archiveNews } = rooms.get(name) ?? {};
  const joined = await client.join(name, password, code);
  const room = rooms.get(name) ?? { seq: joined.seq, unread: 0, online: new Set() };
  room.online = new Set(joined.online);
  room.topic = joined.topic;
  // A new role or an archive the page was told of while the join was answered is newer than the answer.
  if (room.roleNews === roleNews) room.role = joined.role;
  if (room.archiveNews === archiveNews) room.archived = joined.archived === true;
  rooms.set(name, room);
  if (mine !== opening) {
    // Another room was asked for meanwhile: this one is joined all the same, and listed.
    renderRooms();
    return;
  }
  if (current !== name) {
    // What was typed in a room (or given back to be changed) stays with it, and does not go out in another.
    if (current) drafts.set(current, editing ? draftBeforeEdit : $('text').value);
    $('text').value = drafts.get(name) ?? '';
    drafts.delete(name);
  } else if (editing) {
    $('text').value = draftBeforeEdit; // an edit given up, not a new message
  }
  current = name;
  sessionStorage.setItem(ROOM_KEY, JSON.stringify({ user: me, room: name }));
  pinned = new Set(); // the lines drawn before loadPinned answers are not marked with another room's pins
  reactions = new Map();
  firstUnseen = null;
  dropRoomState();
  $('members-toggle').hidden = false;
  $('room-title').textContent = titleOf(name);
  showTopicForm(false);
  resetArchiveButton();
  renderTopic();
  if (searched?.room !== name) showSearch(false);
  $('search-toggle').hidden = false;
  showPins(false);
  $('pins-toggle').hidden = Boolean(room.with); // nobody pins in a direct conversation
  showArchived();
  $('leave').hidden = false;
  $('messages').replaceChildren();
  showEarlier(null);
  shownUpTo = 0;
  let page;
  try {
    page = await client.history(name);
  } catch (error) {
    if (mine !== opening || current !== name) return;
    // Said, and asked again: after the reconnect (see onReconnected), or in a moment if the server was busy.
    showError(new Error(`${name} did not load (${error.message}): trying again…`));
    unloaded = name;
    if (error.code !== 'unavailable') setTimeout(reloadUnloaded, 2000);
    return;
  }
  // Another room asked for meanwhile, or this one lost (a kick, a leave on another device): not shown.
  if (mine !== opening || current !== name) return;
  unloaded = null;
  // Messages that arrived live while the page was loading were shown already: those the page holds too are
  // shown from it, in their place; the newer ones stay, after it.
  const lastSeq = page.items.at(-1)?.seq ?? 0;
  const newer = [...$('messages').querySelectorAll('li[data-seq]')].filter((li) => Number(li.dataset.seq) > lastSeq);
  $('messages').replaceChildren();
  page.items.forEach(noteReaction);
  for (const message of page.items.filter(isLine)) {
    renderMessage(message);
  }
  if (newer.length > 0) {
    separateDay();
    $('messages').append(...newer);
  }
  showEarlier(page.more ? page.items[0]?.seq : null);
  trimLines();
  // A room of many reactions or edits holds few lines in a page: earlier pages fill the view.
  await fillEarlier(page.items.filter(isLine).length);
  if (mine !== opening || current !== name) return;
  // Where the unread messages begin, at the top of the view when there are more than it holds; else the newest
  // in view (lines that came while it loaded were put below the history without scrolling).
  const newLine = room.unread > 0 && room.firstUnread ? markNewFrom(room.firstUnread) : null;
  if (newLine) newLine.scrollIntoView({ block: 'start' });
  else $('messages').scrollTop = $('messages').scrollHeight;
  $('to-latest').hidden = atBottom(); // more unread than the view holds: the rest is below
  shownUpTo = Math.max(lastSeq, ...newer.map((li) => Number(li.dataset.seq)));
  client.positionFromHistory(name, page.items.at(-1)?.seq ?? joined.seq);
  // Messages typed earlier (offline, or before a reload) and not receipted yet.
  for (const entry of client.pending().filter((e) => e.room === name)) {
    if (!pendingItem(entry.clientMsgId)) {
      renderMessage({ from: me, text: entry.text, clientMsgId: entry.clientMsgId, replyTo: entry.replyTo,
        pending: true });
    }
  }
  loadPinned(name).catch(showError);
  readUpTo(room, Infinity);
  // A room whose every message retention removed is read up to its seq: else its badge came back on every reload.
  markReceived(name, page.items.at(-1)?.seq ?? joined.seq);
  renderRooms();
  renderOnline();
  $('text').focus();
}

function onMessage(message) {
  const room = rooms.get(message.room);
  if (!room) {
    // A room of ours that the page does not list yet (its joined is on the way): acked all the same, or the
    // server would send it again and at last close the connection as one that does not read. Held, not seen.
    client.ack(message.room, message.seq, 0);
    return;
  }
  // Replayed messages after a reconnect are already counted in welcome's unread.
  const fresh = message.seq > room.seq;
  room.seq = Math.max(room.seq, message.seq);
  // A link made or ended elsewhere (another moderator, another device) is told as a system line: an open list of
  // the room's links is asked for again.
  if (message.kind === 'system' && fresh && message.room === current && !$('link-panel').hidden) {
    renderLinks(message.room).catch(showError);
  }
  if (message.kind === 'topic' && fresh) {
    room.topic = message.text;
    if (message.room === current) renderTopic();
  }
  if (message.kind === 'hidden') {
    // Somebody we blocked: it only holds its place in the order.
  } else if (message.kind === 'deleted') {
    if (message.room === current) markDeleted(message.target);
  } else if (message.kind === 'edited') {
    if (message.room === current) markEdited(message.target, message.text, message.mentions);
  } else if (REACTION_EVENTS.includes(message.kind)) {
    if (message.room === current && noteReaction(message)) renderReactionsOf(message.target);
  } else if (message.room === current) {
    if (typists.has(message.from)) stopTyping(message.from);
    if (document.hidden && fresh && message.from !== me) {
      unseen += 1;
      firstUnseen ??= message.seq;
      renderTitle();
    }
    if (message.seq > shownUpTo && !document.querySelector(`#messages li[data-seq="${message.seq}"]`)
        && !confirmPending(message)) {
      renderMessage(message);
    }
    shownUpTo = Math.max(shownUpTo, message.seq);
  } else if (fresh && message.from !== me && message.seq > (room.readElsewhere ?? 0)) {
    (room.waiting ??= []).push({ seq: message.seq, mention: mentionsMe(message) });
    if (room.waiting.length > MAX_WAITING) foldWaiting(room);
    readUpTo(room, 0); // counts it
    renderBadges(message.room);
  }
  if (message.room === current && (PIN_EVENTS.includes(message.kind) || message.kind === 'deleted')) {
    markPinned(message.target, message.kind === 'pinned');
  }
  if (message.room === current && !$('pins').hidden
    && (PIN_EVENTS.includes(message.kind) || message.kind === 'deleted' || message.kind === 'edited')) {
    renderPins().catch(showError);
  }
  // Every message received is acked, or the server sends it again.
  markReceived(message.room, message.seq);
}

/** The person read the room up to seq on another device: what this page counted unread up to there is read. */
function onReadElsewhere({ room: name, seq }) {
  const room = rooms.get(name);
  if (!room) return;
  // Its lines may come after the word (a catch-up): those up to seq are not counted then.
  room.readElsewhere = Math.max(room.readElsewhere ?? 0, seq);
  if (name === current) {
    // What came to the open room while the tab was hidden, all read there.
    if (seq >= room.seq && unseen > 0) {
      unseen = 0;
      firstUnseen = null;
      renderTitle();
    }
    return;
  }
  readUpTo(room, seq);
  renderBadges(name);
}

/**
 * Takes the room's unread lines up to seq off its counts (Infinity: all of them, the room is open). Which of the
 * lines a welcome counted lie below seq is not known: no more of them stay unread than seqs are left above it.
 */
function readUpTo(room, seq) {
  const counted = room.counted;
  if (counted && seq >= counted.upTo) {
    room.counted = null;
  } else if (counted && seq > counted.read) {
    counted.read = seq;
    counted.unread = Math.min(counted.unread, counted.upTo - seq);
    counted.mentions = Math.min(counted.mentions, counted.unread);
  }
  room.waiting = (room.waiting ?? []).filter((line) => line.seq > seq);
  room.unread = (room.counted?.unread ?? 0) + room.waiting.length;
  room.mentions = (room.counted?.mentions ?? 0) + room.waiting.filter((line) => line.mention).length;
  room.firstUnread = room.counted?.unread > 0 ? room.counted.read + 1 : room.waiting[0]?.seq ?? null;
}

/**
 * Keeps the older half of a room's waiting lines as a count, after what a welcome counted (whose seqs they follow):
 * a read elsewhere up to a seq among them then leaves no more unread than seqs are left above it, as for a welcome's.
 */
function foldWaiting(room) {
  const folded = room.waiting.splice(0, MAX_WAITING / 2);
  const counted = room.counted ?? { unread: 0, mentions: 0 };
  room.counted = {
    unread: counted.unread + folded.length,
    mentions: counted.mentions + folded.filter((line) => line.mention).length,
    // Where the first of them may be: a welcome's count of none says nothing of where they start.
    read: counted.unread > 0 ? counted.read : folded[0].seq - 1,
    upTo: folded[folded.length - 1].seq,
  };
}

/** A message deleted after it was shown: its text goes, a note stays where it was. */
function markDeleted(seq) {
  const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
  if (!item) return;
  markDeletedItem(item);
  requote(seq);
}

function markDeletedItem(item) {
  item.classList.add('deleted');
  item.querySelector('.text').textContent = 'message deleted';
  item.querySelector('.actions')?.remove();
  item.querySelector('.palette')?.remove();
  item.querySelector('.reactions')?.remove(); // the server took them with the message
}

/** A message its sender edited: the new text, and a mark that says so. */
function markEdited(seq, text, mentions) {
  const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
  if (!item) return;
  markEditedItem(item, text);
  item.classList.toggle('mention', mentionsMe({ mentions }));
  requote(seq);
}

/** The replies' quotes of a message as it reads now: a deletion takes its words out of them too. */
function requote(seq) {
  for (const quote of document.querySelectorAll(`#messages .quote[data-reply-to="${seq}"]`)) {
    quote.textContent = quoteOf(seq);
  }
}

/** The server lists who a message names with @; the reader's own name is highlighted. */
function mentionsMe(message) {
  return (message.mentions ?? []).includes(me);
}

function markEditedItem(item, text) {
  fillText(item.querySelector('.text'), text);
  if (!item.querySelector('.edited')) {
    const mark = document.createElement('span');
    mark.className = 'edited';
    mark.textContent = ' (edited)';
    item.querySelector('.meta').append(mark);
  }
}

/** Code in a message, shown as written: a block between ``` fences, or a span between single backticks. */
const CODE = /```\n?([^]*?)```|`([^`\n]+)`/g;

/**
 * A web address in a message (the second group): from http:// or https:// in any case to the next space, not after
 * a letter or digit (the first group), but after a mark's _ too. No lookbehind: older Safaris cannot read one.
 */
const ADDRESS = /(^|[^\p{L}\p{N}])([Hh][Tt][Tt][Pp][Ss]?:\/\/[^\s<>"]+)/gu;

/**
 * A part of a message marked as chat apps mark it: *bold*, _italic_ or ~struck~. A mark opens at the start or
 * after a space or an opening bracket or quote, and closes before the end, a space or punctuation, with no
 * space inside either mark: snake_case and 2*3*4 stay as they are.
 */
const MARKED = /(^|[\s([{"'])([*_~])(?=\S)([^]*?\S)\2(?=$|[\s)\]}"'.,;:!?])/g;
const MARKS = { '*': 'strong', _: 'em', '~': 's' };
/** Marks within marks within marks are as deep as they go: deeper ones are shown as written. */
const MARKS_DEEP = 3;

/**
 * A message's words into its line: its code as written, its web addresses as links, its marked parts bold,
 * italic or struck (a mark may hold code and links; nothing inside code or an address is a mark). Nothing of
 * it is read as HTML. The server's own lines (`marks` false) get their links only.
 */
function fillText(span, text, marks = true) {
  span.dataset.source = text; // as written, marks and all: what an edit starts from
  const kept = keptParts(text, marks);
  // The marks are looked for where code and addresses read as letters: no mark opens or closes in them.
  let shadow = '';
  let shown = 0;
  for (const part of kept) {
    shadow += text.slice(shown, part.start) + 'x'.repeat(part.end - part.start);
    shown = part.end;
  }
  shadow += text.slice(shown);
  span.replaceChildren(...(marks ? marked(text, shadow, 0, text.length, kept, 0)
    : withKept(text, 0, text.length, kept)));
}

/** The code (when marks are read) and the web addresses of a text, in order, each with the node it shows as. */
function keptParts(text, marks) {
  const kept = [];
  if (marks) {
    for (const match of text.matchAll(CODE)) {
      const code = document.createElement('code');
      code.textContent = match[1] ?? match[2];
      let node = code;
      if (match[1] !== undefined) {
        node = document.createElement('pre');
        node.append(code);
      }
      kept.push({ start: match.index, end: match.index + match[0].length, node });
    }
  }
  for (const match of text.matchAll(ADDRESS)) {
    const address = addressIn(match[2]);
    const start = match.index + match[1].length;
    const end = start + address.length;
    if (!kept.some((part) => start < part.end && part.start < end)) kept.push({ start, end, node: linkTo(address) });
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Text from `from` to `to` with its marked parts, found in its shadow, as nodes. */
function marked(text, shadow, from, to, kept, depth) {
  if (depth === MARKS_DEEP) return withKept(text, from, to, kept);
  const nodes = [];
  let shown = from;
  for (const match of shadow.slice(from, to).matchAll(MARKED)) {
    const opens = from + match.index + match[1].length;
    nodes.push(...withKept(text, shown, opens, kept));
    const part = document.createElement(MARKS[match[2]]);
    part.append(...marked(text, shadow, opens + 1, opens + 1 + match[3].length, kept, depth + 1));
    nodes.push(part);
    shown = opens + match[3].length + 2;
  }
  nodes.push(...withKept(text, shown, to, kept));
  return nodes;
}

/** Text from `from` to `to` as nodes: its code and addresses as their own, the rest as text. */
function withKept(text, from, to, kept) {
  const nodes = [];
  let shown = from;
  for (const part of kept) {
    if (part.start < from || part.end > to) continue;
    nodes.push(text.slice(shown, part.start), part.node);
    shown = part.end;
  }
  nodes.push(text.slice(shown, to));
  return nodes.filter((node) => node !== '');
}

/**
 * The web address a match holds: punctuation that ends a sentence after an address is not part of it, nor a
 * mark that closes after it (*see https://example.org*), nor a closing bracket that none opened within it.
 */
function addressIn(found) {
  let address = found;
  for (;;) {
    const trimmed = address.replace(/[.,;:!?'"*_~]+$/, '');
    const closing = /[)\]]$/.test(trimmed) && count(trimmed, trimmed.endsWith(')') ? '(' : '[')
      < count(trimmed, trimmed.at(-1));
    address = closing ? trimmed.slice(0, -1) : trimmed;
    if (address === trimmed) return address;
  }
}

/** A link that opens in a tab of its own, which is told nothing of this page. */
function linkTo(address) {
  const link = document.createElement('a');
  link.href = address;
  link.textContent = address;
  link.target = '_blank';
  link.rel = 'noopener noreferrer nofollow';
  return link;
}

function count(text, character) {
  return text.split(character).length - 1;
}

/** The line of our message with this client id, as the open room shows it now. */
function pendingItem(clientMsgId) {
  return document.querySelector(`#messages li[data-client-msg-id="${CSS.escape(clientMsgId)}"]`);
}

/** Our own message arrives live after its receipt, or before it: show it once. */
function confirmPending(message) {
  if (!message.clientMsgId) return false;
  const item = pendingItem(message.clientMsgId);
  if (!item) return false;
  markStored(item, message.seq, message.ts);
  return true;
}

/** Our pending message, stored: it has its seq and its time now, and may be replied to. */
function markStored(item, seq, ts) {
  if (!item.classList.contains('pending')) return;
  item.dataset.seq = seq;
  item.dataset.ts = ts;
  item.classList.remove('pending');
  item.querySelector('.meta').firstChild.replaceWith(...metaOf(item.dataset.from, ts, current, seq));
  // Its actions as a stored message's (reply, react, pin), and room for the reactions it may get at once.
  item.querySelector('.actions')?.replaceWith(messageActions(item, { from: item.dataset.from }));
  item.querySelector('.text').after(reactionsOf(seq));
}

/**
 * A moderator invited us, somebody opened a direct conversation with us, or we joined on another device: the
 * room appears in the list. (This page's own joins are handled by openRoom.)
 */
function onJoined(joined) {
  if (joined.ref || rooms.has(joined.room)) return;
  // A new member has read up to the room's seq (the server's read marker starts there): nothing unread yet.
  rooms.set(joined.room, {
    seq: joined.seq, unread: 0, online: new Set(joined.online), with: joined.with, topic: joined.topic,
    archived: joined.archived === true,
  });
  renderRooms();
}

/** A direct conversation with `user`: made (or found) by the server, then opened like any room. */
async function directMessage(user) {
  const joined = await client.request({ type: 'dm', user });
  const room = rooms.get(joined.room) ?? { seq: joined.seq, unread: 0, online: new Set(joined.online) };
  room.with = user;
  rooms.set(joined.room, room);
  await openRoom(joined.room);
}

/** What the room list and the title call a room: a direct conversation by the other person's name. */
function titleOf(name) {
  const other = rooms.get(name)?.with;
  return other ? `@ ${other}` : name;
}

/**
 * The open room's topic under its name; its owner and moderators may change it and make invitation links (not in a
 * direct conversation, nor in an archived room, whose topic they may only clear), and its owner may archive it.
 */
function renderTopic() {
  const room = rooms.get(current);
  if (!room) return;
  $('room-topic').textContent = room.topic ?? '';
  $('room-topic').hidden = !room.topic;
  const runs = runsRoom(room) && !room.archived; // an archived room takes no new topic or link
  const clears = runsRoom(room) && room.archived && Boolean(room.topic);
  $('topic-toggle').hidden = !runs && !clears;
  if ($('topic-toggle').hidden) showTopicForm(false);
  $('archive').hidden = !runs || room.role !== 'owner';
  $('link-make').hidden = !runs;
  if (!runs) hidePanel($('link-panel'), $('link-make'));
}

/** How a topic's message reads in the conversation, after the name of who set it. */
function topicLine(topic) {
  return topic ? `set the topic: ${topic}` : 'cleared the topic';
}

/** The topic form: in an archived room only to clear the topic (as its messages may still be deleted). */
function showTopicForm(shown) {
  $('topic-toggle').setAttribute('aria-expanded', String(shown));
  if (!shown) {
    hidePanel($('topic-form'), $('topic-toggle'));
    return;
  }
  $('topic-form').hidden = false;
  const archived = Boolean(rooms.get(current)?.archived);
  $('topic-text').value = archived ? '' : rooms.get(current)?.topic ?? '';
  $('topic-text').hidden = archived; // nothing to write: the button says what it does
  $('topic-set').textContent = archived ? 'Clear topic' : 'Set topic';
  (archived ? $('topic-set') : $('topic-text')).focus();
}

$('topic-toggle').addEventListener('click', () => showTopicForm($('topic-form').hidden));

$('topic-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setTopic();
});

const setTopic = oneAtATime($('topic-set'), async () => {
  const room = current;
  if (!room) return;
  try {
    // The room hears of it as a message of kind topic, which shows the new topic here too.
    await client.request({ type: 'topic', room, text: $('topic-text').value });
    if (room === current) showTopicForm(false);
  } catch (error) {
    showError(error);
  }
});

function showSearch(shown) {
  $('search').hidden = !shown;
  $('search-toggle').setAttribute('aria-expanded', String(shown));
  if (shown) {
    $('search-text').focus();
    return;
  }
  searched = null;
  $('search-results').replaceChildren();
  $('search-empty').hidden = true;
  $('search-more').hidden = true;
}

$('search-toggle').addEventListener('click', () => showSearch($('search').hidden));

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('search-text').value.trim();
  if (!current || !text) return;
  searched = { room: current, text, before: null };
  $('search-results').replaceChildren();
  searchMore();
});

$('search-more').addEventListener('click', oneAtATime($('search-more'), searchMore));

/** The next page of the search shown, older than what it shows; each page is put above the one before. */
async function searchMore() {
  const asked = searched;
  if (!asked) return;
  try {
    const found = await client.search(asked.room, asked.text, asked.before);
    if (searched !== asked) return; // another search, or another room, meanwhile
    const fresh = $('search-results').children.length === 0;
    asked.before = found.before ?? null;
    $('search-results').prepend(...found.items.map(foundItem));
    // The newest found in view first, as in the conversation; an earlier page keeps the view where it is.
    if (fresh) $('search-results').scrollTop = $('search-results').scrollHeight;
    $('search-empty').hidden = $('search-results').children.length > 0 || Boolean(asked.before);
    $('search-more').hidden = !asked.before;
  } catch (error) {
    showError(error);
  }
}

/**
 * A message found (or pinned): who wrote it and when, and what it says; instead of a line's actions, one that
 * shows it in the conversation.
 */
function foundItem(message) {
  const item = messageItem(message);
  item.querySelector('.reactions')?.replaceWith(listedReactions(message.reactions ?? []));
  item.querySelector('.actions')?.remove();
  delete item.dataset.seq;
  item.dataset.foundSeq = message.seq;
  const actions = document.createElement('span');
  actions.className = 'actions';
  actions.append(actionButton('Show', 'show', () => showInConversation(message.seq).catch(showError),
    'Show it in the conversation'));
  item.append(actions);
  return item;
}

/** How far back the conversation is loaded to show a message: pages of 500, so 2,000 lines. */
const SOUGHT_PAGES = 4;
/** Lines loaded above a message shown in the conversation: what it followed. */
const SOUGHT_CONTEXT = 10;

/** The message's line in the conversation, marked and scrolled to; earlier pages are loaded down to it. */
async function showInConversation(seq) {
  const name = current;
  const lineOf = () => document.querySelector(`#messages li[data-seq="${seq}"]`);
  for (let pages = 0; !lineOf() && earliest !== null && earliest > seq && pages < SOUGHT_PAGES; pages++) {
    await loadEarlier(Math.min(500, earliest - seq + SOUGHT_CONTEXT));
    if (current !== name) return;
  }
  const line = lineOf();
  if (!line) {
    tell('That message is further back: "Earlier messages" goes on.');
    return;
  }
  document.querySelector('#messages li.sought')?.classList.remove('sought');
  line.classList.add('sought');
  line.scrollIntoView({ block: 'center' });
}

/**
 * Whether the reader runs this room (pins, its topic, invitation links): its owner and moderators, not in a direct
 * conversation, which nobody runs.
 */
function runsRoom(room) {
  return Boolean(room) && !room.with && (room.role === 'owner' || room.role === 'moderator');
}

/**
 * The open room's pinned seqs, which its lines show (a mark, and "Unpin" for its moderators). Asked again when a
 * pin event came while they were asked: the answer may have been read before it.
 */
async function loadPinned(name) {
  if (rooms.get(name)?.with) return;
  const asked = { room: name, stale: false };
  pinsAsked = asked;
  const items = await allPins(name);
  if (pinsAsked !== asked || current !== name) return;
  pinsAsked = null;
  if (asked.stale) return loadPinned(name);
  pinned = new Set(items.map((message) => message.seq));
  for (const seq of pinned) markPinned(seq, true);
}

/** A line of the open room pinned or not, its actions with it; a deleted one is not pinned any more. */
function markPinned(seq, on) {
  if (pinsAsked) pinsAsked.stale = true;
  if (on) pinned.add(seq); else pinned.delete(seq);
  const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
  if (!item) return;
  item.classList.toggle('pinned', on);
  item.querySelector(':scope > .actions')?.replaceWith(messageActions(item, { from: item.dataset.from }));
}

$('pins-toggle').addEventListener('click', () => showPins($('pins').hidden));

function showPins(shown) {
  $('pins').hidden = !shown;
  $('pins-toggle').setAttribute('aria-expanded', String(shown));
  if (shown) {
    renderPins().catch(showError);
  } else {
    $('pin-list').replaceChildren();
    $('pins-empty').hidden = true;
  }
}

/**
 * A room's pinned messages, in seq order: an answer cut to the reader's catch-up share (50 long messages on a small
 * queue) says where the next goes on, below the messages it kept.
 */
async function allPins(name) {
  const items = [];
  let before;
  do {
    const answer = await client.request({ type: 'pins', room: name, before });
    // Each answer goes on below the last (the server keeps one message at least): any other is the end.
    if (answer.items.length === 0 || (before != null && answer.before >= before)) break;
    items.unshift(...answer.items);
    before = answer.before;
  } while (before != null && current === name); // another room opened: nobody waits for the rest
  return items;
}

/**
 * The open room's pinned messages as they read now, the newest at the bottom as in the conversation, asked anew
 * whenever one is pinned, unpinned, edited or deleted.
 */
async function renderPins() {
  const name = current;
  const drawn = ++pinsDrawn;
  const items = await allPins(name);
  if (name !== current || $('pins').hidden || drawn !== pinsDrawn) return;
  const unpinning = runsRoom(rooms.get(name));
  $('pin-list').replaceChildren(...items.map((message) => {
    const item = foundItem(message);
    item.classList.remove('pinned'); // each of the list is
    if (unpinning) {
      item.querySelector('.actions').append(actionButton('Unpin', 'unpin', () => client.request({ type: 'unpin',
        room: name, seq: message.seq }).catch(showError)));
    }
    return item;
  }));
  $('pins-empty').hidden = items.length > 0;
}

/** A moderator banned us, an administrator removed us, or we left on another device: the room leaves the list. */
function onLeft(left) {
  if (left.ref || !rooms.delete(left.room)) return;
  if (left.room === current) closeRoomView();
  renderRooms();
  if (left.reason === 'banned') showError(new Error(`You were banned from ${left.room}.`));
  if (left.reason === 'kicked') showError(new Error(`You were removed from ${left.room}.`));
}

function onPresence(presence) {
  const room = rooms.get(presence.room);
  if (!room) return;
  if (presence.online) room.online.add(presence.user); else room.online.delete(presence.user);
  if (presence.room !== current) return;
  renderOnline();
  if ($('member-list').hidden) return;
  // The open members list follows: a member's line changes in place (a button pressed there keeps its focus and
  // state); somebody it does not hold is a new member, asked for.
  const member = membersShown.find((shown) => shown.user === presence.user);
  if (!member) {
    renderMembers().catch(showError);
    return;
  }
  member.online = presence.online;
  const line = $('member-list').querySelector(`li[data-user="${CSS.escape(member.user)}"]`);
  if (line) line.firstChild.textContent = memberText(member);
}

/** Somebody typing in the open room: said under the conversation until they send, or for 4 s after the last. */
function onTyping(typing) {
  if (typing.room !== current) return;
  clearTimeout(typists.get(typing.user));
  typists.set(typing.user, setTimeout(() => stopTyping(typing.user), 4000));
  renderTyping();
}

function stopTyping(user) {
  clearTimeout(typists.get(user));
  typists.delete(user);
  renderTyping();
}

function clearTyping() {
  for (const timer of typists.values()) clearTimeout(timer);
  typists.clear();
  renderTyping();
}

/** "ann is typing…", "ann and bob are typing…", or past two, how many. */
function renderTyping() {
  const names = [...typists.keys()].sort();
  $('typing').textContent = names.length === 0 ? ''
    : names.length === 1 ? `${names[0]} is typing…`
      : names.length === 2 ? `${names[0]} and ${names[1]} are typing…`
        : `${names.length} people are typing…`;
}

/**
 * Acks ("I have everything up to seq") are batched: at most one per room a second, with the highest seq. Each
 * is due 1/ACKS_PER_SECOND after the one before, whichever room it is for, so that many busy rooms (or a
 * replay's catch-up in all of them) do not send one a second each: for 30 rooms, the server would refuse the
 * connection's frames, then close it as a flood. Past 90 busy rooms an ack comes after the server's resend
 * time (10 s): the resend, a message held already, is answered by the ack then due.
 */
function markHeld(name, seq) {
  const room = rooms.get(name);
  if (!room) return;
  room.heldUpTo = Math.max(room.heldUpTo ?? 0, seq);
  if (ackTimers.has(name) || room.heldUpTo === 0) return;
  const now = performance.now();
  lastAckAt = Math.max(now + 1000, lastAckAt + 1000 / ACKS_PER_SECOND);
  ackTimers.set(name, setTimeout(() => {
    ackTimers.delete(name);
    // The room as it is now: left meanwhile, nothing to ack; joined again, its new position.
    const still = rooms.get(name);
    if (still) client.ack(name, still.heldUpTo, Math.min(still.seenUpTo ?? 0, still.heldUpTo));
  }, lastAckAt - now));
}

/** The page has the room's messages up to seq, and the reader has seen them if the room is in view. */
function markReceived(name, seq) {
  if (name === current && !document.hidden) markSeen(name, seq); else markHeld(name, seq);
}

/**
 * The reader has seen the room up to seq (it is open, the page in view): the ack says so apart from what the page
 * holds, so that a room not looked at is still unread on the next welcome, here or on another device.
 */
function markSeen(name, seq) {
  const room = rooms.get(name);
  if (!room) return;
  room.seenUpTo = Math.max(room.seenUpTo ?? 0, seq);
  markHeld(name, seq);
}

/**
 * A message added at the bottom: the list follows it when the reader was at the bottom, or wrote it; a reader
 * reading further up is told that something came below, and taken there by a click.
 */
function renderMessage(message) {
  const follow = atBottom() || message.from === me;
  separateDay(message.ts);
  const item = messageItem(message);
  $('messages').append(item);
  if (follow) {
    item.scrollIntoView({ block: 'end' });
    trimLines();
  } else if (message.seq && message.from !== me) {
    $('to-latest').hidden = false;
  }
  return item;
}

$('to-latest').addEventListener('click', () => {
  $('messages').scrollTop = $('messages').scrollHeight;
  $('to-latest').hidden = true;
  $('text').focus();
});

$('messages').addEventListener('scroll', () => {
  if (!$('to-latest').hidden && atBottom()) $('to-latest').hidden = true;
});

function messageItem(message) {
  const item = document.createElement('li');
  item.dataset.from = message.from;
  if (message.ts) item.dataset.ts = message.ts;
  if (message.seq) item.dataset.seq = message.seq;
  if (message.clientMsgId) item.dataset.clientMsgId = message.clientMsgId;
  if (message.from === me) item.classList.add('mine');
  if (message.pending) item.classList.add('pending');
  if (message.kind === 'system' || message.kind === 'topic' || PIN_EVENTS.includes(message.kind)) {
    item.classList.add('system');
  }
  if (message.kind === 'tip') item.classList.add('tip');
  if (message.room === current && pinned.has(message.seq)) item.classList.add('pinned');
  if (mentionsMe(message)) item.classList.add('mention');
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.append(...metaOf(message.from, message.ts, message.room ?? current, message.seq));
  const text = document.createElement('span');
  text.className = 'text';
  if (message.kind === 'tip') text.textContent = `🎁 gave ${message.tipTo} ${message.amount}`;
  else if (message.kind === 'topic') text.textContent = topicLine(message.text);
  else if (PIN_EVENTS.includes(message.kind)) text.textContent = `${message.kind} a message`;
  else fillText(text, message.text, message.kind !== 'system'); // the server's own words: no marks
  item.append(meta);
  // What a reply answers, or what a pin line is about, quoted above its text: the quote leads to it.
  const quoted = message.replyTo ?? (PIN_EVENTS.includes(message.kind) ? message.target : null);
  if (quoted) {
    const quote = document.createElement('a');
    quote.className = 'quote';
    quote.href = addressOf(message.room ?? current, quoted);
    quote.title = 'Show this message';
    quote.dataset.replyTo = quoted;
    quote.textContent = quoteOf(quoted);
    item.append(quote);
  }
  item.append(text);
  if (message.seq && (message.kind === 'text' || message.kind === 'tip')) item.append(reactionsOf(message.seq));
  if (message.kind === 'text' || message.kind === 'tip' || message.pending) {
    item.append(messageActions(item, message));
  }
  if (message.edited) markEditedItem(item, message.text);
  if (message.deleted) markDeletedItem(item);
  return item;
}

/** Whether the reader sees the newest line (or near it), rather than reading back. */
function atBottom() {
  const list = $('messages');
  return list.scrollHeight - list.scrollTop - list.clientHeight < 48;
}

/** The oldest lines past MAX_LINES go; the first one left keeps its day line. */
function trimLines() {
  const list = $('messages');
  // Not while a message is being edited or answered: its line (and the text going back on a refusal) stays.
  if (list.childElementCount <= MAX_LINES || editing || replyingTo) return;
  while (list.childElementCount > MAX_LINES) list.firstElementChild.remove();
  while (list.firstElementChild?.matches('.day, .new-line')) list.firstElementChild.remove();
  const first = list.firstElementChild;
  list.prepend(daySeparator(first.dataset.ts)); // its time as the server wrote it (a pending line has none yet)
  showEarlier(Number(list.querySelector('li[data-seq]')?.dataset.seq ?? 0) || null);
}

/** The button above the list, while older messages than those shown exist (seq: the first shown one's). */
function showEarlier(seq) {
  earliest = seq ?? null;
  $('earlier').hidden = earliest === null;
  $('earlier').disabled = false;
}

/**
 * Whether a message of a page is a line of the conversation. Deleted and edited messages come marked as such, so
 * their events are not lines of their own; nor are the places of blocked people's messages.
 */
function isLine(message) {
  return message.kind !== 'deleted' && message.kind !== 'edited' && message.kind !== 'hidden'
    && !REACTION_EVENTS.includes(message.kind);
}

/**
 * A page of older messages, put above those shown, the reader's view staying where it was. How many lines it
 * added; undefined when it was not shown (another room opened meanwhile).
 */
async function loadEarlier(limit = 50) {
  const name = current;
  const mine = opening;
  const before = earliest;
  $('earlier').disabled = true;
  let page;
  try {
    page = await client.history(name, before, limit);
  } finally {
    if (current === name) $('earlier').disabled = false;
  }
  // Another room opened meanwhile, or this one's oldest lines went (trimmed): the page would not join up.
  if (mine !== opening || current !== name || earliest !== before) return;
  const list = $('messages');
  const older = document.createDocumentFragment();
  let day = null;
  page.items.forEach(noteReaction);
  const shown = page.items.filter(isLine);
  for (const message of shown) {
    const separator = daySeparator(message.ts);
    if (separator.dataset.day !== day) older.append(separator);
    day = separator.dataset.day;
    older.append(messageItem(message));
  }
  const fromBottom = list.scrollHeight - list.scrollTop;
  if (list.firstElementChild?.dataset.day === day) list.firstElementChild.remove(); // the page's own goes above
  // Old lines, not news: a screen reader is not to read out the page as it comes.
  list.setAttribute('aria-busy', 'true');
  list.prepend(older);
  setTimeout(() => list.removeAttribute('aria-busy'));
  list.scrollTop = list.scrollHeight - fromBottom;
  for (const message of shown) requote(message.seq);
  showEarlier(page.more ? page.items[0]?.seq : null);
  return shown.length;
}

/** A screenful of lines at least, which a page of reactions or edits alone would not give. */
const PAGE_LINES = 30;
/** Pages read at most to fill one, however few lines they hold. */
const FILL_PAGES = 5;

/** Earlier pages until {@link PAGE_LINES} lines are shown, counting those shown already. */
async function fillEarlier(shown) {
  for (let pages = 0; shown < PAGE_LINES && earliest !== null && pages < FILL_PAGES; pages++) {
    const more = await loadEarlier();
    if (more === undefined) return; // another room opened meanwhile
    shown += more;
  }
}

$('earlier').addEventListener('click', () => loadEarlier().then((shown) => fillEarlier(shown ?? PAGE_LINES))
  .catch(showError));

/**
 * Who wrote a line, and when: the time of a stored one is the message's address (#room=ROOM&seq=SEQ), which opens
 * the room at it, here or wherever the address is shared.
 */
function metaOf(from, ts, room, seq) {
  if (!ts) return [`${from} · …`];
  if (!seq) return [`${from} · ${timeOf(ts)}`];
  const time = document.createElement('a');
  time.className = 'permalink';
  time.href = addressOf(room, seq);
  time.title = 'Link to this message';
  time.textContent = timeOf(ts);
  return [`${from} · `, time];
}

/** The web address of a message, which the page follows to show it (see followAddress). */
function addressOf(room, seq) {
  return `#${new URLSearchParams({ room, seq })}`;
}

function timeOf(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function dateTimeOf(ts) {
  return new Date(ts).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** A line with the day before the first message of each day. */
function separateDay(ts) {
  const separator = daySeparator(ts);
  const days = document.querySelectorAll('#messages li.day');
  if (days.length > 0 && days[days.length - 1].dataset.day === separator.dataset.day) return;
  $('messages').append(separator);
}

function daySeparator(ts) {
  const day = ts ? new Date(ts) : new Date();
  const separator = document.createElement('li');
  separator.className = 'day';
  separator.dataset.day = day.toDateString();
  separator.setAttribute('role', 'separator');
  separator.textContent = day.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long' });
  return separator;
}

/**
 * Reply to any message; edit and delete one's own; delete others', for the room's owner and moderators (the
 * server refuses a moderator those of a higher or the same rank, which the page does not know). An archived room
 * takes deletions and unpins only.
 */
function messageActions(item, message) {
  const actions = document.createElement('span');
  actions.className = 'actions';
  if (message.pending) return actions; // nothing to act on before it is stored (markStored draws them)
  const mine = message.from === me;
  const room = rooms.get(current);
  const role = room?.role;
  const open = !room?.archived;
  const tip = item.classList.contains('tip'); // answered, reacted to and deleted; not edited or pinned
  if (open) {
    actions.append(actionButton('Reply', 'reply', () => startReplying(item)));
    actions.append(actionButton('React', 'react', () => togglePalette(item)));
  }
  const editable = mine && !tip && open ? editTimeLeft(item) : 0;
  if (editable > 0) {
    const edit = actionButton('Edit', 'edit', () => startEditing(item));
    actions.append(edit);
    // Offered while the server takes it (time left past a timer's reach, some 24 days, is not timed: a
    // reconnect draws the actions again).
    if (editable <= MAX_TIMER) setTimeout(() => edit.remove(), editable);
  }
  if (mine || role === 'owner' || role === 'moderator') {
    actions.append(actionButton('Delete', 'delete',
      () => client.delete(current, Number(item.dataset.seq)).catch(showError)));
  }
  const type = pinned.has(Number(item.dataset.seq)) ? 'unpin' : 'pin';
  if (!tip && runsRoom(room) && (open || type === 'unpin')) {
    actions.append(actionButton(type === 'pin' ? 'Pin' : 'Unpin', type, () => client.request({ type,
      room: current, seq: Number(item.dataset.seq) }).catch(showError)));
  }
  return actions;
}

/**
 * Each stored message's actions again, for a reader whose role changed (others' messages may be deleted or not), in
 * a room just archived or reopened, and when the edit windows may have moved (the server's clock newly known, a
 * reconnect after timers stood still).
 */
function renewMessageActions() {
  for (const actions of document.querySelectorAll('#messages li[data-seq] > .actions')) {
    const item = actions.parentElement;
    actions.replaceWith(messageActions(item, { from: item.dataset.from }));
  }
}

/**
 * Notes a reaction event of the open room, if it is the newest of its person and emoji the page has seen (a page of
 * history may bring older ones after newer ones came live). Whether it changed anything.
 */
function noteReaction(message) {
  if (!REACTION_EVENTS.includes(message.kind) || message.room !== current) return false;
  const byKey = reactions.get(message.target) ?? new Map();
  reactions.set(message.target, byKey);
  const key = `${message.from} ${message.text}`;
  if ((byKey.get(key)?.seq ?? 0) >= message.seq) return false;
  byKey.set(key, { user: message.from, emoji: message.text, on: message.kind === 'reacted', seq: message.seq });
  return true;
}

/**
 * A message's reactions: a button for each emoji somebody made, in the order they were first made, with how many
 * made it and who (its title); pressed when the reader is among them, and a click makes or takes back the reader's.
 */
function reactionsOf(seq) {
  const made = new Map(); // emoji -> users, in the order of the reactions' seqs
  for (const r of [...(reactions.get(seq)?.values() ?? [])].filter((x) => x.on).sort((a, b) => a.seq - b.seq)) {
    made.set(r.emoji, [...(made.get(r.emoji) ?? []), r.user]);
  }
  const list = document.createElement('span');
  list.className = 'reactions';
  for (const [emoji, users] of made) {
    const mine = users.includes(me);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'reaction';
    button.dataset.emoji = emoji;
    button.textContent = `${emoji} ${users.length}`;
    button.title = users.join(', ');
    button.setAttribute('aria-pressed', String(mine));
    button.setAttribute('aria-label', `${emoji} from ${users.join(', ')}`);
    button.disabled = Boolean(rooms.get(current)?.archived); // an archived room takes no reaction
    button.addEventListener('click', () => react(seq, emoji, !mine));
    list.append(button);
  }
  return list;
}

/**
 * Reactions as a found or pinned message carries them from the server (the page may not have read their events):
 * each emoji with how many made it and who (the first 20 named); shown there, made in the conversation.
 */
function listedReactions(standing) {
  const list = document.createElement('span');
  list.className = 'reactions';
  for (const { emoji, count, users } of standing) {
    const chip = document.createElement('span');
    chip.className = 'reaction';
    chip.dataset.emoji = emoji;
    chip.textContent = `${emoji} ${count}`;
    const who = users.join(', ') + (count > users.length ? ` and ${count - users.length} more` : '');
    chip.title = who;
    chip.setAttribute('aria-label', `${emoji} from ${who}`);
    list.append(chip);
  }
  return list;
}

/** The message's reactions drawn again, when its line is shown. */
function renderReactionsOf(seq) {
  const item = document.querySelector(`#messages li[data-seq="${seq}"]`);
  const shown = item?.querySelector(':scope > .reactions');
  if (shown) shown.replaceWith(reactionsOf(seq));
}

function react(seq, emoji, on) {
  client.request({ type: on ? 'react' : 'unreact', room: current, seq, emoji }).catch(showError);
}

/** The reactions to choose from, under a message's actions, until one is chosen or "React" is pressed again. */
function togglePalette(item) {
  const open = item.querySelector(':scope > .palette');
  if (open) {
    open.remove();
    return;
  }
  const palette = document.createElement('span');
  palette.className = 'palette';
  for (const emoji of QUICK_REACTIONS) {
    palette.append(actionButton(emoji, 'react-with', () => {
      palette.remove();
      react(Number(item.dataset.seq), emoji, true);
    }, `React with ${emoji}`));
  }
  item.append(palette);
  palette.querySelector('button').focus();
}

function actionButton(label, action, onClick, ariaLabel = `${label} message`) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'action';
  button.dataset.action = action;
  button.textContent = label;
  button.setAttribute('aria-label', ariaLabel);
  button.addEventListener('click', oneAtATime(button, onClick));
  return button;
}

/**
 * A button's handler run once at a time: clicks while the server answers the first are let go (a double click made
 * two links, two tips, two topics). The button says it is busy without being disabled, which would take the
 * keyboard's focus from it.
 */
function oneAtATime(button, handler) {
  return async (event) => {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    try {
      await handler(event);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  };
}

function renderRooms() {
  const list = $('room-list');
  list.replaceChildren();
  for (const [name, room] of [...rooms].sort(([a], [b]) => a.localeCompare(b))) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-current', String(name === current));
    const label = document.createElement('span');
    label.textContent = titleOf(name);
    if (room.archived) {
      const state = document.createElement('span');
      state.className = 'room-state';
      state.textContent = 'archived';
      label.append(' ', state);
    }
    button.append(label, ...badges(room));
    button.addEventListener('click', () => openRoom(name).catch(showError));
    li.dataset.room = name;
    li.append(button);
    list.append(li);
  }
  renderTitle();
}

/** One room's counts anew: a busy room's every message changes them, and the rest of the list stays as it is. */
function renderBadges(name) {
  renderTitle();
  const button = document.querySelector(`#room-list li[data-room="${CSS.escape(name)}"] button`);
  if (!button) return;
  button.querySelectorAll('.badge').forEach((old) => old.remove());
  button.append(...badges(rooms.get(name)));
}

/** The tab's title counts what waits unread, so that a tab in the background says there is something to read. */
function renderTitle() {
  let waiting = unseen;
  for (const room of rooms.values()) waiting += room.unread;
  document.title = waiting > 0 ? `(${waiting}) Parley` : 'Parley';
}

document.addEventListener('visibilitychange', () => {
  if (document.hidden) return;
  // Not a room whose history did not come: its lines are not in view.
  if (current && rooms.has(current) && unloaded !== current) markSeen(current, rooms.get(current).seq);
  unseen = 0;
  if (firstUnseen !== null) markNewFrom(firstUnseen);
  firstUnseen = null;
  renderTitle();
});

/**
 * "New messages" above the first line from seq on that is not the reader's own (their own is no news), instead of
 * where it was before. The line, or null when no such line is shown.
 */
function markNewFrom(seq) {
  document.querySelector('#messages li.new-line')?.remove();
  const first = [...document.querySelectorAll('#messages li[data-seq]')]
    .find((li) => Number(li.dataset.seq) >= seq && li.dataset.from !== me);
  if (!first) return null;
  const line = document.createElement('li');
  line.className = 'new-line';
  line.setAttribute('role', 'separator');
  line.textContent = 'New messages';
  first.before(line);
  return line;
}

function badges(room) {
  const counts = [];
  if (room.unread > 0) counts.push(badge('badge', String(room.unread), `${room.unread} unread`));
  if (room.mentions > 0) {
    counts.push(badge('badge mention-badge', `@${room.mentions}`, `${room.mentions} mentioning you`));
  }
  return counts;
}

function badge(className, text, label) {
  const span = document.createElement('span');
  span.className = className;
  span.textContent = text;
  span.setAttribute('aria-label', label);
  return span;
}

function renderOnline() {
  const room = rooms.get(current);
  const names = [...room.online].sort();
  $('online-count').textContent = `(${names.length})`;
  const moderator = room.role === 'owner' || room.role === 'moderator';
  $('online-list').replaceChildren(...names.map((name) => {
    const li = document.createElement('li');
    li.textContent = name;
    if (name !== me) li.append(memberTools(name, moderator && !room.with));
    return li;
  }));
}

/**
 * What one can do about another person: write to them directly; and, for the room's moderators, mute and
 * remove them (the server checks the ranks and tells the room what was done).
 */
function memberTools(user, moderator) {
  const tools = document.createElement('span');
  tools.className = 'actions';
  tools.append(actionButton('Message', 'dm', () => directMessage(user).catch(showError), `Message ${user} directly`));
  tools.append(actionButton('Block', 'block', () => client.request({ type: 'block', user })
    .then(() => tell(`You will not see what ${user} writes.`)).catch(showError), `Block ${user}`));
  const room = rooms.get(current);
  if (!room?.with && !room?.archived) { // a tip is a line of the room, which an archived room does not take
    tools.append(actionButton('Tip 10', 'tip', () => client.tip(current, user, 10).catch(showError),
      `Give ${user} a tip of 10`));
  }
  if (moderator) {
    const act = (frame) => client.request({ room: current, user, ...frame }).catch(showError);
    tools.append(
      actionButton('Mute', 'mute', () => act({ type: 'mute', minutes: 10 }), `Mute ${user} for 10 minutes`),
      actionButton('Unmute', 'unmute', () => act({ type: 'unmute' }), `Unmute ${user}`),
      actionButton('Remove', 'kick', () => act({ type: 'kick' }), `Remove ${user} from the room`));
  }
  return tools;
}

/** A short line in the page's alert area, which clears itself. */
function tell(text) {
  showError(new Error(text));
}

let errorShown = null; // the timer that clears the shown line: a newer line gets its own five seconds

function showError(error) {
  $('chat-error').textContent = error.message;
  clearTimeout(errorShown);
  errorShown = setTimeout(() => { $('chat-error').textContent = ended ?? ''; }, 5000);
}

/** The client will not reconnect: nothing typed now would go out, so nothing can be typed. */
function endSession(text) {
  ended = text;
  showError(new Error(text));
  for (const control of $('composer').elements) control.disabled = true;
}

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
  const login = JSON.parse(saved);
  if (new Date(login.expiresAt) > new Date()) {
    start(login).catch(() => sessionStorage.removeItem(TOKEN_KEY));
  }
}
