// The chat page. Plain JavaScript, no build step: the official Socket.IO client comes from
// /socket.io/socket.io.js, served by the sio4j server itself.
//
// Page options (query string): ?transport=polling (or websocket) picks the transports, for
// networks where WebSocket is blocked; ?nick=ada fills the nickname in.
(() => {
  'use strict';

  const TYPING_SEND_EVERY = 2000; // ms between two "typing" notices while keystrokes go on
  const TYPING_IDLE = 3000; // ms without a keystroke after which we say we stopped
  const TYPING_SHOW = 5000; // ms a remote "typing" notice is shown without a refresh
  const ACK_TIMEOUT = 10000;

  const params = new URLSearchParams(location.search);
  const transportParam = params.get('transport') || params.get('transports');
  const transports =
    transportParam === 'polling' ? ['polling'] : transportParam === 'websocket' ? ['websocket'] : undefined;

  // A secret per tab: it proves to the server that a reconnecting page is the same one, so it gets
  // its nickname back even before the server noticed the old connection was gone.
  const token = sessionStorage.getItem('sio4j-chat-token') || randomToken();
  sessionStorage.setItem('sio4j-chat-token', token);

  const $ = (sel) => document.querySelector(sel);
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text; // never innerHTML: chat text is untrusted
    return e;
  };

  const state = {
    nick: null,
    loggedIn: false,
    everConnected: false,
    active: null, // conversation key: "room:<name>" or "dm:<nick>"
    convs: new Map(), // key -> {key, kind, name, log, unread, seen: Set}
    joined: [], // rooms we are in, in join order (re-joined after a reconnection)
    rooms: [], // [{name, users}] from the server
    members: new Map(), // room -> [nick]
    typing: new Map(), // room -> Map(nick -> timer)
    typingSentAt: 0,
    typingStop: null,
    localIds: 0,
    lifecycle: [], // the last connection events, for whoever debugs a connection
  };

  const socket = io({
    autoConnect: false,
    transports,
    // A chat should come back quickly: retry at least every 3 s (the default waits up to 5 s).
    reconnectionDelayMax: 3000,
    auth: (cb) => cb({ nick: state.nick, token }),
  });
  // For the curious (and the end-to-end tests): the socket and the page state.
  window.chat = { socket, state };

  // ---- login ------------------------------------------------------------------------------

  if (params.get('nick')) $('#nick').value = params.get('nick');

  $('#login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    state.nick = $('#nick').value.trim();
    $('#login-error').hidden = true;
    $('#login-button').disabled = true;
    $('#login-button').textContent = 'Connecting…';
    socket.connect();
  });

  function showLoginError(message) {
    document.body.dataset.state = 'login';
    state.loggedIn = false;
    $('#login-error').textContent = message;
    $('#login-error').hidden = false;
    $('#login-button').disabled = false;
    $('#login-button').textContent = 'Join the chat';
    $('#nick').focus();
    $('#nick').select();
  }

  // ---- connection lifecycle -----------------------------------------------------------------

  function note(...what) {
    state.lifecycle.push(new Date().toISOString().slice(11, 23) + ' ' + what.join(' '));
    if (state.lifecycle.length > 50) state.lifecycle.shift();
  }
  ['connect', 'disconnect', 'connect_error'].forEach((name) =>
    socket.on(name, (arg) => note(name, arg && arg.message ? arg.message : arg || '')),
  );
  ['reconnect_attempt', 'reconnect', 'reconnect_error', 'close'].forEach((name) =>
    socket.io.on(name, (arg) => note('manager ' + name, arg && arg.message ? arg.message : arg || '')),
  );

  socket.on('connect', () => {
    const first = !state.everConnected;
    state.loggedIn = true;
    state.everConnected = true;
    document.body.dataset.state = 'connected';
    $('#banner').hidden = true;
    updateTransport();
    if (first) {
      state.joined = [];
      join('general', true);
    } else if (socket.recovered) {
      // Connection state recovery: same session, rooms kept, missed events replayed by the server.
      systemLine(state.active, 'Reconnected — missed messages recovered.');
    } else {
      // A new session (the server restarted, or the gap was too long): join again; each room's
      // history brings back what we missed (messages we already show are recognised by id).
      systemLine(state.active, 'Reconnected.');
      const rooms = state.joined.slice();
      state.joined = [];
      rooms.forEach((room) => join(room, room === roomOf(state.active)));
    }
  });

  socket.on('connect_error', (err) => {
    if (err.data && err.data.code) {
      // Refused by the server's middleware (nickname empty, too long, taken...).
      socket.disconnect();
      showLoginError(err.message);
    } else if (!state.loggedIn) {
      socket.disconnect();
      showLoginError('Cannot reach the server (' + err.message + ').');
    } else {
      showBanner('Server unreachable — retrying…');
    }
  });

  socket.on('disconnect', (reason) => {
    if (!state.loggedIn) return;
    document.body.dataset.state = 'disconnected';
    if (reason === 'io server disconnect') {
      showBanner('Disconnected by the server. Reload the page to come back.', false);
    } else if (reason !== 'io client disconnect') {
      showBanner('Connection lost — reconnecting…');
    }
  });

  socket.io.on('reconnect_attempt', (attempt) => {
    showBanner('Connection lost — reconnecting (attempt ' + attempt + ')…');
  });

  function showBanner(text, spinning = true) {
    $('#banner-text').textContent = text;
    $('#banner .spinner').hidden = !spinning;
    $('#banner').hidden = false;
  }

  function updateTransport() {
    const name = socket.io.engine ? socket.io.engine.transport.name : '';
    document.body.dataset.transport = name;
    $('#transport').textContent = name;
    if (socket.io.engine && !socket.io.engine.__watched) {
      socket.io.engine.__watched = true;
      socket.io.engine.on('upgrade', updateTransport);
    }
  }

  // ---- events from the server ---------------------------------------------------------------

  socket.on('welcome', ({ nick }) => {
    state.nick = nick;
    $('#me-nick').textContent = nick;
  });

  socket.on('rooms', (rooms) => {
    state.rooms = rooms;
    renderRooms();
  });

  socket.on('members', ({ room, users }) => {
    state.members.set(room, users);
    if (roomOf(state.active) === room) renderMembers();
  });

  socket.on('message', (m) => {
    addMessage('room:' + m.room, m);
    setTyping(m.room, m.from, false);
  });

  socket.on('private', (m) => {
    const other = m.from === state.nick ? m.to : m.from;
    conversation('dm:' + other);
    addMessage('dm:' + other, m);
  });

  socket.on('system', (s) => {
    if (state.convs.has('room:' + s.room)) systemLine('room:' + s.room, s.text, s.time);
    if (s.kind === 'leave') setTyping(s.room, s.nick, false);
  });

  socket.on('typing', ({ room, nick, typing }) => setTyping(room, nick, typing));

  socket.on('error', (e) => {
    toast(e.message || 'The server refused a request.', 'error');
    systemLine(state.active, e.message || 'Error', Date.now(), 'error');
  });

  // ---- rooms ------------------------------------------------------------------------------

  function join(room, activate) {
    socket.timeout(ACK_TIMEOUT).emit('join', { room }, (err, res) => {
      if (err || !res || !res.ok) return; // the server said why through an "error" event
      const key = 'room:' + res.room;
      if (!state.joined.includes(res.room)) state.joined.push(res.room);
      conversation(key);
      state.members.set(res.room, res.members);
      res.history.forEach((m) => addMessage(key, m, true));
      if (activate || !state.active) activate_(key);
      renderRooms();
      renderMembers();
    });
  }

  function leave(room) {
    socket.timeout(ACK_TIMEOUT).emit('leave', { room }, (err, res) => {
      if (err || !res || !res.ok) return;
      state.joined = state.joined.filter((r) => r !== room);
      const key = 'room:' + room;
      const conv = state.convs.get(key);
      if (conv) conv.log.remove();
      state.convs.delete(key);
      state.typing.delete(room);
      if (state.active === key) {
        state.active = null;
        const next = state.joined[0] ? 'room:' + state.joined[0] : [...state.convs.keys()][0];
        if (next) activate_(next);
        else renderEmpty();
      }
      renderRooms();
    });
  }

  $('#room-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const name = $('#room-name').value.trim().replace(/^#/, '');
    if (!name) return;
    $('#room-name').value = '';
    const existing = 'room:' + name.toLowerCase();
    if (state.convs.has(existing)) activate_(existing);
    else join(name, true);
  });

  function renderRooms() {
    const list = $('#room-list');
    list.replaceChildren();
    const names = new Set([...state.rooms.map((r) => r.name), ...state.joined]);
    for (const name of [...names].sort()) {
      const info = state.rooms.find((r) => r.name === name);
      const joined = state.joined.includes(name);
      const key = 'room:' + name;
      const li = el('li', 'room' + (joined ? ' joined' : '') + (state.active === key ? ' active' : ''));
      li.dataset.room = name;
      const open = el('button', 'open', '#' + name);
      open.type = 'button';
      open.title = joined ? 'Open #' + name : 'Join #' + name;
      open.addEventListener('click', () => (joined ? activate_(key) : join(name, true)));
      const conv = state.convs.get(key);
      if (conv && conv.unread > 0) open.append(el('span', 'badge', String(conv.unread)));
      li.append(open, el('span', 'count', String(info ? info.users : '')));
      const action = el('button', joined ? 'leave' : 'join', joined ? '×' : 'Join');
      action.type = 'button';
      action.title = (joined ? 'Leave #' : 'Join #') + name;
      action.addEventListener('click', () => (joined ? leave(name) : join(name, true)));
      li.append(action);
      list.append(li);
    }
    renderDms();
  }

  function renderDms() {
    const list = $('#dm-list');
    list.replaceChildren();
    const dms = [...state.convs.values()].filter((c) => c.kind === 'dm');
    $('#dm-empty').hidden = dms.length > 0;
    for (const c of dms) {
      const li = el('li', state.active === c.key ? 'active' : '');
      li.dataset.dm = c.name;
      const open = el('button', 'open');
      open.type = 'button';
      open.append(avatar(c.name), el('span', '', c.name));
      if (c.unread > 0) open.append(el('span', 'badge', String(c.unread)));
      open.addEventListener('click', () => activate_(c.key));
      li.append(open);
      list.append(li);
    }
  }

  function renderMembers() {
    const room = roomOf(state.active);
    const users = room ? state.members.get(room) || [] : [];
    $('#members-room').textContent = room ? '#' + room : '—';
    $('#members-count').textContent = String(users.length);
    const list = $('#members');
    list.replaceChildren();
    for (const nick of users) {
      const mine = nick === state.nick;
      const li = el('li', mine ? 'me-entry' : '');
      li.dataset.nick = nick;
      li.append(avatar(nick), el('span', 'name', mine ? nick + ' (you)' : nick));
      if (!mine) {
        li.title = 'Write to ' + nick + ' privately';
        const pm = el('button', 'pm', '✉');
        pm.type = 'button';
        pm.setAttribute('aria-label', 'Private message to ' + nick);
        li.append(pm);
        li.addEventListener('click', () => activate_(conversation('dm:' + nick).key));
      }
      list.append(li);
    }
  }

  // ---- conversations ------------------------------------------------------------------------

  function roomOf(key) {
    return key && key.startsWith('room:') ? key.slice(5) : null;
  }

  function conversation(key) {
    let c = state.convs.get(key);
    if (!c) {
      const kind = key.startsWith('room:') ? 'room' : 'dm';
      const log = el('div', 'log');
      log.dataset.conv = key;
      log.hidden = true;
      $('#logs').append(log);
      c = { key, kind, name: key.slice(kind.length + 1), log, unread: 0, seen: new Set() };
      state.convs.set(key, c);
      if (kind === 'dm') renderDms();
    }
    return c;
  }

  function activate_(key) {
    const c = conversation(key);
    state.active = key;
    c.unread = 0;
    for (const other of state.convs.values()) other.log.hidden = other !== c;
    $('#conv-title').textContent = c.kind === 'room' ? '#' + c.name : '@' + c.name;
    $('#conv-sub').textContent = c.kind === 'room' ? '' : 'private conversation';
    $('#text').placeholder = c.kind === 'room' ? 'Message #' + c.name : 'Private message to ' + c.name;
    $('#text').disabled = false;
    $('#send').disabled = false;
    renderRooms();
    renderMembers();
    renderTyping();
    scrollDown(true);
    $('#text').focus();
  }

  function renderEmpty() {
    $('#conv-title').textContent = 'No conversation';
    $('#conv-sub').textContent = 'join a room on the left';
    $('#text').disabled = true;
    $('#send').disabled = true;
    renderMembers();
    renderTyping();
  }

  function addMessage(key, m, fromHistory = false) {
    const c = conversation(key);
    if (c.seen.has(m.id)) return;
    c.seen.add(m.id);
    const row = messageRow(m.from, m.text, m.time, m.from === state.nick);
    row.dataset.id = m.id;
    if (m.from === state.nick) row.classList.add('delivered');
    if (c.kind === 'dm') row.classList.add('private');
    c.log.append(row);
    if (state.active !== key && !fromHistory) {
      c.unread++;
      renderRooms();
    }
    if (state.active === key) scrollDown(m.from === state.nick);
  }

  function messageRow(from, text, time, mine) {
    const row = el('div', 'msg' + (mine ? ' mine' : ''));
    row.dataset.from = from;
    const bubble = el('div', 'bubble');
    const meta = el('div', 'meta');
    meta.append(el('span', 'from', from), timeEl(time));
    if (mine) {
      const tick = el('span', 'tick');
      tick.title = 'Delivered to the server';
      meta.append(tick);
    }
    bubble.append(meta, el('div', 'text', text));
    row.append(avatar(from), bubble);
    return row;
  }

  function systemLine(key, text, time = Date.now(), cls = '') {
    if (!key) return;
    const line = el('div', 'system' + (cls ? ' ' + cls : ''), text);
    line.title = new Date(time).toLocaleString();
    conversation(key).log.append(line);
    if (state.active === key) scrollDown(false);
  }

  function timeEl(ms) {
    const t = el('time', '', new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
    t.dateTime = new Date(ms).toISOString();
    return t;
  }

  function avatar(nick) {
    const a = el('span', 'avatar', (nick[0] || '?').toUpperCase());
    let hue = 0;
    for (const ch of nick) hue = (hue * 31 + ch.codePointAt(0)) % 360;
    a.style.setProperty('--hue', String(hue));
    a.setAttribute('aria-hidden', 'true');
    return a;
  }

  function scrollDown(force) {
    const logs = $('#logs');
    const near = logs.scrollHeight - logs.scrollTop - logs.clientHeight < 120;
    if (force || near) logs.scrollTop = logs.scrollHeight;
  }

  // ---- sending ------------------------------------------------------------------------------

  $('#composer').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('#text').value.trim();
    const c = state.convs.get(state.active);
    if (!text || !c) return;
    $('#text').value = '';
    stopTyping();
    const row = messageRow(state.nick, text, Date.now(), true);
    row.classList.add('pending');
    row.dataset.local = String(++state.localIds);
    if (c.kind === 'dm') row.classList.add('private');
    c.log.append(row);
    scrollDown(true);
    const [event, payload] =
      c.kind === 'room' ? ['message', { room: c.name, text }] : ['private', { to: c.name, text }];
    socket.timeout(ACK_TIMEOUT).emit(event, payload, (err, res) => {
      row.classList.remove('pending');
      if (err || !res || !res.ok) {
        row.classList.add('failed');
        row.querySelector('.tick').title = err ? 'Not delivered (no answer)' : res.error;
        return;
      }
      // The ack carries the stored message: its id (to drop a replayed copy) and server time.
      row.dataset.id = res.message.id;
      c.seen.add(res.message.id);
      row.querySelector('time').replaceWith(timeEl(res.message.time));
      row.classList.add('delivered');
    });
  });

  $('#text').addEventListener('input', () => {
    const room = roomOf(state.active);
    if (!room || !socket.connected) return;
    const now = Date.now();
    if (now - state.typingSentAt > TYPING_SEND_EVERY) {
      state.typingSentAt = now;
      // Volatile: a typing notice that cannot be sent right now is worthless later.
      socket.volatile.emit('typing', { room, typing: true });
    }
    clearTimeout(state.typingStop);
    state.typingStop = setTimeout(stopTyping, TYPING_IDLE);
  });

  function stopTyping() {
    clearTimeout(state.typingStop);
    if (state.typingSentAt === 0) return;
    state.typingSentAt = 0;
    const room = roomOf(state.active);
    if (room && socket.connected) socket.volatile.emit('typing', { room, typing: false });
  }

  function setTyping(room, nick, typing) {
    let who = state.typing.get(room);
    if (!who) state.typing.set(room, (who = new Map()));
    clearTimeout(who.get(nick));
    if (typing) who.set(nick, setTimeout(() => setTyping(room, nick, false), TYPING_SHOW));
    else who.delete(nick);
    if (roomOf(state.active) === room) renderTyping();
  }

  function renderTyping() {
    const room = roomOf(state.active);
    const names = room && state.typing.has(room) ? [...state.typing.get(room).keys()] : [];
    let text = '';
    if (names.length === 1) text = names[0] + ' is typing…';
    else if (names.length === 2) text = names[0] + ' and ' + names[1] + ' are typing…';
    else if (names.length > 2) text = 'Several people are typing…';
    $('#typing').textContent = text;
  }

  // ---- misc ---------------------------------------------------------------------------------

  function toast(text, cls = '') {
    const t = el('div', 'toast' + (cls ? ' ' + cls : ''), text);
    $('#toasts').append(t);
    setTimeout(() => t.remove(), 6000);
  }

  function randomToken() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }
})();
