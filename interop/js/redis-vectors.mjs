// Golden vectors of the classic Redis wire: the exact bytes the official @socket.io/redis-adapter
// (createAdapter) and @socket.io/redis-emitter publish, produced by their own code paths on fake
// Redis clients that record every PUBLISH. No Redis server is involved.
// Usage: node redis-vectors.mjs [--timeout=s]
// Prints {"event":"vector","name":n,"channel":c,"payload":"<base64>"} per message, then "done".
import { createRequire } from 'node:module';
import { out, parseArgs } from './lib.mjs';

const require = createRequire(import.meta.url);
const { RedisAdapter } = require('@socket.io/redis-adapter');
const { Emitter } = require('@socket.io/redis-emitter');
const { Encoder } = require('socket.io-parser');

parseArgs();

let current = 'unnamed';
const published = [];

/** A client of the node-redis v4+ shape, enough for the adapter and the emitter. */
function fakeClient(numSub) {
  return {
    publish(channel, message) {
      const payload = Buffer.isBuffer(message) ? message : Buffer.from(message);
      published.push({ name: current, channel, payload });
      return Promise.resolve(1);
    },
    sendCommand(args) {
      // PUBSUB NUMSUB <channel> -> [channel, count]
      return Promise.resolve([args[2], String(numSub)]);
    },
    sSubscribe() {},
    pSubscribe() {},
    subscribe() {},
    pUnsubscribe() {},
    unsubscribe() {},
    on() {},
    off() {},
    listenerCount() {
      return 1;
    },
  };
}

function fakeSocket(id, rooms) {
  return {
    id,
    handshake: {
      headers: { host: '127.0.0.1:3000', 'user-agent': 'vectors' },
      time: 'Tue Dec 01 2026 00:00:00 GMT+0000 (Coordinated Universal Time)',
      address: '127.0.0.1',
      xdomain: false,
      secure: false,
      issued: 1764547200000,
      url: '/socket.io/?EIO=4&transport=websocket',
      query: { EIO: '4', transport: 'websocket' },
      auth: { token: 'abc' },
    },
    rooms: new Set(rooms),
    data: { user: 'bob', n: 1 },
    acks: new Map(),
    client: { writeToEngine() {} },
    join() {},
    leave() {},
    disconnect() {},
  };
}

function fakeNamespace(name) {
  return {
    name,
    server: { encoder: new Encoder() },
    sockets: new Map(),
    _ids: 0,
    _onServerSideEmit(args) {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') ack({ port: 3000, x: args[1] });
    },
  };
}

function adapter(nspName, opts = {}, numSub = 2) {
  const nsp = fakeNamespace(nspName);
  const a = new RedisAdapter(nsp, fakeClient(numSub), fakeClient(numSub), opts);
  // The uid is random per process; a fixed one makes the vectors comparable.
  Object.defineProperty(a, 'uid', { value: 'nodeuid1', writable: true });
  return a;
}

const opts = (rooms = [], except = [], flags = {}) => ({
  rooms: new Set(rooms),
  except: new Set(except),
  flags,
});
const event = (...data) => ({ type: 2, data });
const swallow = (p) => p && p.catch && p.catch(() => {});

function as(name, fn) {
  current = name;
  return fn();
}

// ---- the adapter's broadcasts ------------------------------------------------------------------
const a = adapter('/');
as('b.all', () => a.broadcast(event('tick', 1, 'two', { a: [true, null] }), opts()));
as('b.room', () => a.broadcast(event('tick', 'r'), opts(['r1'])));
as('b.rooms', () => a.broadcast(event('tick'), opts(['r1', 'r2'])));
as('b.except', () => a.broadcast(event('tick', 'e'), opts([], ['x1', 'x2'])));
as('b.binary', () =>
  a.broadcast(
    event('tick', Buffer.from([1, 2, 3]), { nested: Buffer.from([255, 0]) }),
    opts(['r1'], ['sid1']),
  ),
);
as('b.flags', () =>
  a.broadcast(event('tick'), opts([], [], { volatile: true, compress: false })),
);
as('b.numbers', () =>
  a.broadcast(event('tick', 1.5, -7, 2 ** 40, -(2 ** 33), 0.1, 300, -200), opts()),
);
as('b.unicode', () => a.broadcast(event('tick', 'héllo ✓ 😀'), opts(['salle ✓'])));
const chat = adapter('/chat');
as('b.chat', () => chat.broadcast(event('tick', 1), opts(['r1'])));

// ---- the adapter's requests --------------------------------------------------------------------
as('q.broadcastAck', () =>
  a.broadcastWithAck(
    event('ask', 'r1'),
    opts(['r1'], [], { timeout: 1000 }),
    () => {},
    () => {},
  ),
);
as('q.broadcastAckBinary', () =>
  a.broadcastWithAck(event('ask', Buffer.from([9, 8])), opts([], ['x'], { timeout: 1500 }), () => {}, () => {}),
);
as('q.join', () => a.addSockets(opts(['r1'], ['x']), ['new1', 'new2']));
as('q.leave', () => a.delSockets(opts([], ['x']), ['old1']));
as('q.disconnect', () => a.disconnectSockets(opts(['r1']), true));
as('q.disconnectAll', () => a.disconnectSockets(opts(), false));
as('q.sse', () => a.serverSideEmit(['sse', 1, { a: 'b' }, 'ü\n"\u0001']));
as('q.sseBinary', () => a.serverSideEmit(['sse', Buffer.from([1, 2])]));

// Requests that publish after awaiting the server count: one at a time, each given a turn.
const turn = () => new Promise((resolve) => setImmediate(resolve));
as('q.fetch', () => swallow(a.fetchSockets(opts(['r1'], ['x']))));
await turn();
as('q.sseAck', () => a.serverSideEmit(['sse-ack', 'x', () => {}]));
await turn();
as('q.allRooms', () => swallow(a.allRooms()));
await turn();

// ---- the adapter's responses -------------------------------------------------------------------
function withSocket(nspName, adapterOpts) {
  const r = adapter(nspName, adapterOpts);
  const s = fakeSocket('sidA', ['sidA']);
  r.nsp.sockets.set('sidA', s);
  r.addAll('sidA', new Set(['sidA']));
  return { r, s };
}

async function responses() {
  const request = (r, obj) => r.onrequest(r.requestChannel, Buffer.from(JSON.stringify(obj)));
  const msgpack = require('notepack.io');

  const { r, s } = withSocket('/');
  r.addAll('sidA', new Set(['r1']));
  current = 'r.fetch';
  await request(r, { uid: 'req1', requestId: 'fetch1', type: 5, opts: { rooms: ['sidA'], except: [] } });
  current = 'r.sse';
  await request(r, { uid: 'req1', requestId: 'sse1', type: 6, data: ['sse-ack', 'hello'] });
  current = 'r.allRooms';
  await request(r, { uid: 'req1', requestId: 'rooms1', type: 1 });
  current = 'r.sockets';
  await request(r, { uid: 'req1', requestId: 'socks1', type: 0, rooms: ['r1'] });
  current = 'r.legacyJoin';
  await request(r, { uid: 'req1', requestId: 'lj1', type: 2, sid: 'sidA', room: 'r9' });
  current = 'r.count';
  await r.onrequest(
    r.requestChannel,
    msgpack.encode({
      uid: 'req1',
      requestId: 'bc1',
      type: 7,
      packet: { type: 2, data: ['ask', 'r1'], nsp: '/' },
      opts: { rooms: ['r1'], except: [], flags: { timeout: 1000 } },
    }),
  );
  current = 'r.ack';
  s.acks.get(0)('sidA-answer');
  current = 'r.ackBinary';
  s.acks.get(0)(Buffer.from([7, 7, 7]));

  const specific = withSocket('/', { publishOnSpecificResponseChannel: true }).r;
  current = 'r.fetchSpecific';
  await request(specific, { uid: 'req1', requestId: 'fetch2', type: 5, opts: { rooms: ['sidA'], except: [] } });
}

// ---- the emitter -------------------------------------------------------------------------------
function emitter() {
  const e = new Emitter(fakeClient(1));
  as('e.all', () => e.emit('news', 1, 'two'));
  as('e.room', () => e.to('r1').emit('news', Buffer.from([1, 2])));
  as('e.rooms', () => e.to(['r1', 'r2']).except('x').emit('news', { k: [1.5, null] }));
  as('e.except', () => e.except(['x', 'y']).emit('news'));
  as('e.flags', () => e.volatile.compress(false).emit('news', 'v'));
  as('e.compressTrue', () => e.to('r1').compress(true).emit('news'));
  as('e.chat', () => e.of('/chat').to('r').emit('news', 'c'));
  as('e.admin', () => e.of('admin').emit('news'));
  as('e.join', () => e.in('r1').socketsJoin(['a', 'b']));
  as('e.joinOne', () => e.socketsJoin('a'));
  as('e.leave', () => e.except('x').socketsLeave('a'));
  as('e.disconnect', () => e.to('r1').disconnectSockets(true));
  as('e.disconnectDefault', () => e.disconnectSockets());
  as('e.sse', () => e.serverSideEmit('reload', 42, { a: 1 }));
  let refused = 'no';
  try {
    e.serverSideEmit('x', () => {});
  } catch (err) {
    refused = err.message;
  }
  out('emitterAckRefused', { message: refused });
}

emitter();
await responses();

for (const p of published) {
  out('vector', { name: p.name, channel: p.channel, payload: p.payload.toString('base64') });
}
out('done', { count: published.length });
process.exit(0);
