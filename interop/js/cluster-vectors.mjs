// Golden vectors of the Node Redis adapters: the exact bytes @socket.io/redis-adapter's sharded
// adapter and @socket.io/redis-streams-adapter put on Redis for every cluster message they send.
// Usage: node cluster-vectors.mjs <redis-url> [--timeout=s]
//
// A real socket.io server runs each adapter; its Redis client publishes nothing: the commands that
// would carry a message (SPUBLISH, PUBLISH, XADD, SET) are recorded instead, through the adapters'
// own code paths. The operations are driven through the public API (io.emit, socketsJoin,
// fetchSockets...), the answers by handing the adapter requests from a fake peer, with one real
// client connected. Each recorded command is printed as
//   {"event":"vector","adapter":"sharded"|"streams","op":<label>,"command":<name>,
//    "channel"|"key":..., "payload":<base64>, "fields":{...}}
// and the script prints {"event":"done"} at the end.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { createClient } from 'redis';
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { out, parseArgs } from './lib.mjs';

const [url] = parseArgs();
if (!url) throw new Error('usage: cluster-vectors.mjs <redis-url>');

const UID = '0123456789abcdef';
const PEER = 'fedcba9876543210';
let op = 'init';
let label = 'init';

const b64 = (payload) => Buffer.from(payload).toString('base64');

/** A connected node-redis client whose message-carrying commands are recorded, not sent. */
async function recordingClient() {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  const record = (fields) => out('vector', { adapter: label, op, ...fields });
  client.sPublish = async (channel, payload) => {
    record({ command: 'SPUBLISH', channel, payload: b64(payload) });
    return 1;
  };
  client.publish = async (channel, payload) => {
    record({ command: 'PUBLISH', channel, payload: b64(payload) });
    return 1;
  };
  client.xAdd = async (key, id, fields, options) => {
    record({ command: 'XADD', key, id, fields, options });
    return '1700000000000-7';
  };
  client.set = async (key, value, options) => {
    record({ command: 'SET', key, value, options });
    return 'OK';
  };
  // serverCount(): two nodes, so requests expect one answer.
  client.sendCommand = async (args) => {
    if (args[0] === 'PUBSUB') return [args[2], 2];
    throw new Error(`unexpected command ${args}`);
  };
  return client;
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function exercise(name, adapterFactory, extraOptions) {
  label = name;
  const http = createServer();
  const io = new Server(http, { adapter: adapterFactory, ...extraOptions });
  const nsp = io.of('/');
  const adapter = nsp.adapter;
  adapter.uid = UID;
  io.on('hello', (...args) => {
    const ack = args[args.length - 1];
    if (typeof ack === 'function') ack({ ok: Buffer.from([9, 8]), n: 1 });
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = http.address().port;

  // One real client, in room "room1", with data, answering "ask" with binary.
  const joined = new Promise((resolve) => {
    io.once('connection', (socket) => {
      socket.data = { name: 'alice', n: 3 };
      socket.join('room1');
      resolve(socket);
    });
  });
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  client.on('ask', (x, ack) => ack({ got: x, bin: Buffer.from([1, 2]) }));
  await joined;
  await wait(50);

  const step = async (label, fn) => {
    op = label;
    await fn();
    await wait(30);
  };

  await step('broadcast', () => io.emit('ev', 1, 'two', { three: 3, four: [4.5, null, true] }));
  await step('broadcast-rooms-except', () =>
    io.to('room1').to('room2').except('room3').emit('ev', 'x'),
  );
  await step('broadcast-binary', () =>
    io.to('room1').emit('bin', Buffer.from([0, 1, 2, 255]), { nested: Buffer.from('hi') }),
  );
  await step('broadcast-flags', () => io.volatile.compress(false).emit('flags', 'y'));
  await step('broadcast-with-ack', () => {
    io.timeout(1000).emit('ask', 'q', () => {});
  });
  await step('sockets-join', () => io.in('room1').except('room2').socketsJoin(['a', 'b']));
  await step('sockets-leave', () => io.in('room1').socketsLeave('a'));
  await step('disconnect-sockets', () => io.in('nobody').disconnectSockets(true));
  await step('disconnect-sockets-no-close', () => io.in('nobody').disconnectSockets());
  await step('fetch-sockets', () => {
    io.in('room1').timeout(2000).fetchSockets().catch(() => {});
  });
  await step('server-side-emit', () => io.serverSideEmit('hello', 'world', 1));
  await step('server-side-emit-binary', () => io.serverSideEmit('hello', Buffer.from([7])));
  await step('server-side-emit-with-ack', () => {
    io.serverSideEmitWithAck('hello', 2).catch(() => {});
  });
  const opts = { rooms: [], except: [], flags: {} };
  await step('fetch-sockets-response', () =>
    adapter.onMessage({
      type: 7,
      data: { opts: { rooms: ['room1'], except: [], flags: {} }, requestId: 'req-fetch' },
      uid: PEER,
      nsp: '/',
    }),
  );
  await step('server-side-emit-response', () =>
    adapter.onMessage({
      type: 9,
      data: { requestId: 'req-sse', packet: ['hello', 1] },
      uid: PEER,
      nsp: '/',
    }),
  );
  await step('broadcast-client-count-and-ack', async () => {
    adapter.onMessage({
      type: 3,
      data: {
        packet: { type: 2, data: ['ask', 'p'] },
        requestId: 'req-ack',
        opts: { rooms: [], except: [], flags: { timeout: 1000 } },
      },
      uid: PEER,
      nsp: '/',
    });
    await wait(200);
  });
  await step('remote-broadcast', () => {
    adapter.onMessage({
      type: 3,
      data: { packet: { type: 2, data: ['ev'] }, opts },
      uid: PEER,
      nsp: '/',
    });
  });
  if (extraOptions.connectionStateRecovery) {
    await step('persist-session', async () => {
      client.io.engine.close();
      await wait(200);
    });
  }
  client.close();
  io.close();
}

const shardedPub = await recordingClient();
const shardedSub = shardedPub.duplicate();
shardedSub.on('error', () => {});
await shardedSub.connect();
await exercise('sharded', createShardedAdapter(shardedPub, shardedSub), {});
await exercise('sharded-dynamic-private', createShardedAdapter(shardedPub, shardedSub, { subscriptionMode: 'dynamic-private' }), {});

const streamsClient = await recordingClient();
await exercise('streams', createStreamsAdapter(streamsClient), {
  connectionStateRecovery: { maxDisconnectionDuration: 60000 },
});

out('done');
process.exit(0);
