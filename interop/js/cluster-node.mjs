// A Node socket.io cluster node: the cluster test app of CLUSTER-PROTOCOL (the same handlers as
// dev.sio4j.testing.ClusterApp) on socket.io + the official Redis adapter of the given kind.
// Usage: node cluster-node.mjs <port> <adapter> <redis-url>[,<redis-url>...] [options JSON] [--timeout=s]
//   <adapter>: redis (@socket.io/redis-adapter createAdapter), redis-sharded (createShardedAdapter),
//              redis-streams (@socket.io/redis-streams-adapter, connection state recovery on).
//   Several redis urls mean a Redis Cluster (the redis package's createCluster).
//   Options JSON: socket.io ServerOptions (override the defaults: cors origin *, and for streams
//   connectionStateRecovery {maxDisconnectionDuration: 120000}; "parser":"msgpack" stands for
//   socket.io-msgpack-parser), plus "adapter": {...} passed to the adapter factory as its options.
// Stdout: "READY <port>" once listening, and JSON events: listening {port, adapter},
//   connection {id, recovered}, disconnect {id, reason}, sse {x}, redis_error {client, message}.
// Client events on "/" ("ack X": answers the client's ack with X; a failed cluster request acks
// "error: <message>"; answers are sorted by their JSON text):
//   join(room) leave(room) -> "ok"          pub(room, ...args) -> io.to(room).emit("tick", ...args)
//   pubAll(...args)  pubExcept(room|null, except, ...args)  bcast(...args) (socket.broadcast)
//   pubAck(room|null, timeoutMs) -> sorted answers of io.to(room).timeout(t).emitWithAck("ask", room)
//   count(room|null) -> number of fetchSockets()    ids(room|null) -> their sorted ids
//   socketsJoin(room|null, newRoom) socketsLeave(room|null, oldRoom) kick(room|null) -> "ok"
//     (kick = disconnectSockets(true); "disconnect" is a reserved event name a client cannot emit)
//   sse(x) -> io.serverSideEmit("sse", x)   sseAck(x) -> sorted serverSideEmitWithAck("sse-ack", x)
//   whoami() -> the port    rooms() -> the socket's sorted rooms
// Server side: "sse"(x) from another node -> io.local.emit("sse-got", x);
//   "sse-ack"(x, cb) -> cb({port, x}).
// Stdin: {"cmd":"close"}; the end of stdin (the test is gone) also closes the node and exits.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import msgpackParser from 'socket.io-msgpack-parser';
import { createClient, createCluster } from 'redis';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createAdapter as createStreamsAdapter } from '@socket.io/redis-streams-adapter';
import { commands, out, parseArgs, parseJson, splitAck } from './lib.mjs';

const ADAPTERS = ['redis', 'redis-sharded', 'redis-streams'];

const [portArg, adapterKind, urlsArg, optionsJson] = parseArgs();
if (portArg === undefined || !ADAPTERS.includes(adapterKind) || !urlsArg) {
  throw new Error(
    `usage: cluster-node.mjs <port> <${ADAPTERS.join('|')}> <redis-url>[,<redis-url>...] [options JSON]`,
  );
}
const urls = urlsArg.split(',').filter((u) => u !== '');
const { adapter: adapterOptions = {}, ...serverOverrides } = parseJson(optionsJson);

const clients = [];
// Named so that readiness can find this node's own connections in CLIENT LIST; duplicates (the
// streams adapter's blocking reader, the subscriber) inherit the name.
const clientName = `sio4j-cluster-node-${process.pid}`;

/** A connected Redis client (or cluster client) whose errors are reported, never thrown. */
async function redisClient(name, base) {
  const client =
    base !== undefined
      ? base.duplicate()
      : urls.length > 1
        ? createCluster({ rootNodes: urls.map((url) => ({ url })), defaults: { name: clientName } })
        : createClient({ url: urls[0], name: clientName });
  let last;
  // Without a listener an "error" event would crash the node while Redis is down; while it
  // reconnects the same error repeats, so only changes are reported.
  client.on('error', (err) => {
    const message = String(err?.message ?? err);
    if (message !== last) out('redis_error', { client: name, message });
    last = message;
  });
  client.on('ready', () => {
    last = undefined;
  });
  await client.connect();
  clients.push(client);
  return client;
}

const serverOptions = { cors: { origin: '*' } };
let adapterFactory;
if (adapterKind === 'redis-streams') {
  serverOptions.connectionStateRecovery = { maxDisconnectionDuration: 120000 };
  adapterFactory = createStreamsAdapter(await redisClient('main'), adapterOptions);
} else {
  const pub = await redisClient('pub');
  const sub = await redisClient('sub', pub);
  adapterFactory =
    adapterKind === 'redis'
      ? createAdapter(pub, sub, adapterOptions)
      : createShardedAdapter(pub, sub, adapterOptions);
}
Object.assign(serverOptions, serverOverrides, { adapter: adapterFactory });
if (serverOptions.parser === 'msgpack') serverOptions.parser = msgpackParser;

const httpServer = createServer();
const io = new Server(httpServer, serverOptions);
let port;

/** Sorts by JSON text, as ClusterApp does, so both implementations answer identically. */
function sorted(items) {
  return items
    .map((item) => [JSON.stringify(item === undefined ? null : item), item === undefined ? null : item])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}

function target(room) {
  return room === null || room === undefined ? io : io.in(room);
}

/** Answers `ack` with `answer(value)` of a cluster request, or "error: ..." when it fails. */
function reply(ack, promise, answer) {
  promise.then(
    (value) => ack?.(answer(value)),
    (err) => ack?.(`error: ${err?.message ?? err}`),
  );
}

/** Registers `name` with a handler receiving (args, ack), the ack undefined when not asked for. */
function handle(socket, name, handler) {
  socket.on(name, (...all) => {
    const [args, ack] = splitAck(all);
    handler(args, ack);
  });
}

io.on('sse', (x) => {
  out('sse', { x: x ?? null });
  io.local.emit('sse-got', x);
});
io.on('sse-ack', (...all) => {
  const [args, callback] = splitAck(all);
  callback?.({ port, x: args.length > 0 ? args[0] : null });
});

io.on('connection', (socket) => {
  const id = socket.id;
  out('connection', { id, recovered: socket.recovered });
  socket.on('disconnect', (reason) => out('disconnect', { id, reason }));

  handle(socket, 'join', ([room], ack) => {
    socket.join(room);
    ack?.('ok');
  });
  handle(socket, 'leave', ([room], ack) => {
    socket.leave(room);
    ack?.('ok');
  });
  handle(socket, 'pub', ([room, ...args]) => io.to(room).emit('tick', ...args));
  handle(socket, 'pubAll', (args) => io.emit('tick', ...args));
  handle(socket, 'pubExcept', ([room, except, ...args]) =>
    (room === null ? io.except(except) : io.to(room).except(except)).emit('tick', ...args),
  );
  handle(socket, 'bcast', (args) => socket.broadcast.emit('tick', ...args));
  handle(socket, 'pubAck', ([room, timeoutMs], ack) => {
    const operator = room === null || room === undefined ? io : io.to(room);
    reply(ack, operator.timeout(timeoutMs ?? 5000).emitWithAck('ask', room ?? null), sorted);
  });
  handle(socket, 'count', ([room], ack) =>
    reply(ack, target(room).fetchSockets(), (sockets) => sockets.length),
  );
  handle(socket, 'ids', ([room], ack) =>
    reply(ack, target(room).fetchSockets(), (sockets) => sorted(sockets.map((s) => s.id))),
  );
  handle(socket, 'socketsJoin', ([room, newRoom], ack) => {
    target(room).socketsJoin(newRoom);
    ack?.('ok');
  });
  handle(socket, 'socketsLeave', ([room, oldRoom], ack) => {
    target(room).socketsLeave(oldRoom);
    ack?.('ok');
  });
  handle(socket, 'kick', ([room], ack) => {
    // Answered first: the caller may be one of the sockets disconnected.
    ack?.('ok');
    target(room).disconnectSockets(true);
  });
  handle(socket, 'sse', ([x]) => io.serverSideEmit('sse', x));
  handle(socket, 'sseAck', ([x], ack) => reply(ack, io.serverSideEmitWithAck('sse-ack', x), sorted));
  handle(socket, 'whoami', (args, ack) => ack?.(port));
  handle(socket, 'rooms', (args, ack) => ack?.(sorted([...socket.rooms])));
});

let closing = false;
function close() {
  if (closing) return;
  closing = true;
  // Bounded: a Redis that is down must not keep a closing node alive.
  setTimeout(() => process.exit(0), 2000).unref();
  io.close(async () => {
    await Promise.allSettled(clients.map((c) => c.close?.() ?? c.quit()));
    process.exit(0);
  });
  httpServer.closeAllConnections();
}

commands((cmd) => {
  switch (cmd.cmd) {
    case 'close':
      close();
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
}, close);

/**
 * Waits (bounded) until the adapter hears the cluster: its request channel is subscribed (the
 * server count includes this node) and, for streams, its reader is blocked in XREAD from "$".
 * Before that a message another node publishes would be lost, and tests would race with it.
 */
async function awaitAdapterReady() {
  const deadline = Date.now() + 10000;
  const adapter = io.of('/').adapter;
  const streamsReader = async () => {
    if (adapterKind !== 'redis-streams') return true;
    const list = await clients[0].sendCommand(['CLIENT', 'LIST']);
    return String(list)
      .split('\n')
      .some((line) => line.includes(`name=${clientName} `) && line.includes('cmd=xread'));
  };
  for (;;) {
    let ready = false;
    try {
      ready = (await adapter.serverCount()) >= 1 && (await streamsReader());
    } catch (err) {
      // Not connected yet: retried below until the deadline.
    }
    if (ready) return;
    if (Date.now() > deadline) throw new Error('adapter not subscribed within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

await awaitAdapterReady();
httpServer.listen(Number(portArg), '127.0.0.1', () => {
  port = httpServer.address().port;
  out('listening', { port, adapter: adapterKind });
  process.stdout.write(`READY ${port}\n`);
});
