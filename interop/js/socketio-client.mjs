// socket.io-client fixture, driven line by line from stdin.
// Usage: node socketio-client.mjs <url> [io() options JSON] [--timeout=s]
// The option "parser":"msgpack" stands for parser: require("socket.io-msgpack-parser").
// The option "client":"v2" or "v3" drives socket.io-client 2.5.x or 3.1.x (npm aliases
// socket.io-client-v2 / -v3) instead of 4.x. A v2 client reports its CONNECT_ERROR packets (its
// 'error' event) as "connect_error" with "legacy":true, and has no emitWithAck timeout.
// Every command may carry "nsp" (default "/") to address a socket opened with {"cmd":"socket"}.
//   {"cmd":"emit","name":n,"args":[...]}              {"cmd":"volatileEmit","name":n,"args":[...]}
//   {"cmd":"emitWithAck","name":n,"args":[...],"timeout":ms,"tag":t}  -> ack | ackError
//   {"cmd":"onAck","name":n,"reply":[...]}            answer acks of event n with reply
//   {"cmd":"disconnect"} {"cmd":"connect"} {"cmd":"closeEngine"}
//   {"cmd":"socket","nsp":"/foo","options":{...}}     {"cmd":"exit"}
// Binary args travel as {"$binary":"<base64>"} both ways.
import { io as ioV4 } from 'socket.io-client';
import msgpackParser from 'socket.io-msgpack-parser';
import {
  commands,
  describe,
  fromJson,
  out,
  parseArgs,
  parseJson,
  splitAck,
  toJson,
} from './lib.mjs';

const [url, optionsJson] = parseArgs();
if (!url) throw new Error('usage: socketio-client.mjs <url> [options JSON]');

const options = parseJson(optionsJson);
if (options.parser === 'msgpack') options.parser = msgpackParser;
const version = options.client ?? 'v4';
delete options.client;
const legacy = version === 'v2';
const io = await clientFactory(version);
const main = io(url, options);
const manager = main.io;
const sockets = new Map([['/', main]]);
attach(main, '/');

async function clientFactory(name) {
  if (name === 'v4') return ioV4;
  if (name !== 'v2' && name !== 'v3') throw new Error(`unknown client version ${name}`);
  const mod = (await import(`socket.io-client-${name}`)).default;
  return mod.io ?? mod;
}

/** The v2 client has no onAny: its onevent sees every incoming event, ack callback excluded. */
function onAnyLegacy(socket, listener) {
  const original = socket.onevent;
  socket.onevent = function (packet) {
    listener(...(packet.data || []), ...(packet.id != null ? [() => {}] : []));
    return original.call(this, packet);
  };
}

function attach(socket, nsp) {
  // The main socket's events stay terse; additional namespaces are told apart by "nsp".
  const tag = (fields = {}) => (nsp === '/' ? fields : { nsp, ...fields });
  if (legacy) {
    // Protocol v4 CONNECT_ERROR: a plain value (a string for a refusal by a middleware).
    socket.on('error', (err) =>
      out('connect_error', tag({ legacy: true, message: typeof err === 'string' ? err : err?.message ?? null, data: toJson(err ?? null) })),
    );
  }
  socket.on('connect', () =>
    out('connect', tag({ id: socket.id, recovered: socket.recovered, transport: manager.engine.transport.name })),
  );
  socket.on('connect_error', (err) =>
    out('connect_error', tag({ message: err.message, data: toJson(err.data ?? null) })),
  );
  socket.on('disconnect', (reason, details) =>
    out('disconnect', tag({ reason, description: describe(details) })),
  );
  const onAny = legacy ? (l) => onAnyLegacy(socket, l) : (l) => socket.onAny(l);
  onAny((name, ...all) => {
    const [args, ack] = splitAck(all);
    // "recovered": the socket's flag when the event came; a replayed event always has it set.
    out('event', tag({ name, args: toJson(args), ack: ack !== undefined, recovered: Boolean(socket.recovered) }));
  });
}

manager.on('open', () => {
  manager.engine.on('upgrade', (transport) => out('upgrade', { transport: transport.name }));
});
manager.on('reconnect_attempt', (attempt) => out('reconnect_attempt', { attempt }));
manager.on('reconnect', (attempt) => out('reconnect', { attempt }));
manager.on('reconnect_error', (err) => out('reconnect_error', { message: String(err?.message ?? err) }));
manager.on('reconnect_failed', () => out('reconnect_failed'));
manager.on('close', (reason, description) => out('close', { reason, description: describe(description) }));

function target(cmd) {
  const socket = sockets.get(cmd.nsp ?? '/');
  if (!socket) throw new Error(`no socket for namespace ${cmd.nsp}`);
  return socket;
}

function emitWithAck(cmd) {
  const socket = target(cmd);
  const tag = cmd.tag ?? null;
  const args = fromJson(cmd.args ?? []);
  // A plain callback rather than socket.emitWithAck(): the promise keeps only the first ack
  // argument, and tests need to see all of them.
  if (cmd.timeout === undefined) {
    socket.emit(cmd.name, ...args, (...reply) => out('ack', { tag, args: toJson(reply) }));
  } else {
    socket.timeout(cmd.timeout).emit(cmd.name, ...args, (err, ...reply) => {
      if (err) out('ackError', { tag, message: String(err?.message ?? err) });
      else out('ack', { tag, args: toJson(reply) });
    });
  }
}

function exit() {
  for (const socket of sockets.values()) socket.disconnect();
  // Give the disconnect packets a moment to leave before the process goes away.
  setTimeout(() => process.exit(0), 100);
}

commands((cmd) => {
  switch (cmd.cmd) {
    case 'emit':
      target(cmd).emit(cmd.name, ...fromJson(cmd.args ?? []));
      break;
    case 'volatileEmit':
      target(cmd).volatile.emit(cmd.name, ...fromJson(cmd.args ?? []));
      break;
    case 'emitWithAck':
      emitWithAck(cmd);
      break;
    case 'onAck':
      target(cmd).on(cmd.name, (...all) => {
        const [, ack] = splitAck(all);
        if (ack) ack(...fromJson(cmd.reply ?? []));
      });
      break;
    case 'disconnect':
      target(cmd).disconnect();
      break;
    case 'connect':
      target(cmd).connect();
      break;
    case 'closeEngine':
      manager.engine.close();
      break;
    case 'socket': {
      const socket = manager.socket(cmd.nsp, cmd.options ?? {});
      sockets.set(cmd.nsp, socket);
      attach(socket, cmd.nsp);
      // The manager already opened it when autoConnect is on; a second CONNECT packet for the
      // same namespace makes the server drop the whole connection.
      // (v2 has no "active": its socket subscribes to the manager when it opens.)
      if (!(socket.active ?? Boolean(socket.subs))) socket.connect();
      break;
    }
    case 'exit':
      exit();
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
}, exit);
