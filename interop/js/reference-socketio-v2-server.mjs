// The Node socket.io 2.x server (npm alias socket.io-v2: Engine.IO v3, Socket.IO protocol v4) as
// the reference for clients that talk to old servers (sio4j's client with engineIoVersion(3)).
// Mirrors reference-socketio-server.mjs where socket.io 2.x allows it.
// Usage: node reference-socketio-v2-server.mjs <port> [options JSON] [--timeout=s]
// Options: socket.io 2.x server options (transports, pingInterval, pingTimeout...) pass through, plus:
//   "namespaces": ["/admin", ...]   namespaces to create besides "/"
//   "rejectWith": {"message": m, "data"?: {...}, "nsp"?: "/admin"}  middleware refusing connections
//                 (2.x sends err.data when set, else err.message)
//   "requireQuery": {"nsp": "/secure", "key": "token", "value": "s3cret"}  middleware accepting
//                 only connections whose handshake query has key=value ("bad <key>" otherwise)
// Default handlers: "echo" acks back its args; "broadcast" is re-emitted to the whole namespace.
// "connection" events carry "query" (socket.handshake.query: a 2.x client's per-namespace auth),
// "transport" and "engine" (the Engine.IO session id).
// stdin (each may carry "nsp", default "/", and "to": a room or socket id):
//   {"cmd":"emit","name":n,"args":[...]}
//   {"cmd":"emitWithAck","name":n,"args":[...],"timeout":ms,"tag":t}  to one socket ("to" = its
//       id; 2.x has no broadcast acks) -> ack {tag,args:[replies]} or ackError {tag,message}
//   {"cmd":"disconnectAll","close":bool}   {"cmd":"close"}
//   {"cmd":"join","room":r}  the matching sockets join room r -> joined {room}
//   {"cmd":"closeConnection"}  closes the Engine.IO connection of the matching sockets
import { createServer } from 'node:http';
import ioV2 from 'socket.io-v2';
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

const [port, optionsJson] = parseArgs();
const { namespaces = [], rejectWith, requireQuery, ...serverOptions } = parseJson(optionsJson);

const httpServer = createServer();
const io = ioV2(httpServer, serverOptions);

for (const name of ['/', ...namespaces]) {
  const nsp = io.of(name);
  if (rejectWith && (rejectWith.nsp === undefined || rejectWith.nsp === name)) {
    nsp.use((socket, next) => {
      const err = new Error(rejectWith.message ?? 'rejected');
      if (rejectWith.data !== undefined) err.data = rejectWith.data;
      next(err);
    });
  }
  if (requireQuery && requireQuery.nsp === name) {
    nsp.use((socket, next) => {
      const value = socket.handshake.query[requireQuery.key];
      next(value === requireQuery.value ? undefined : new Error(`bad ${requireQuery.key}`));
    });
  }
  nsp.on('connection', (socket) => {
    const id = socket.id;
    out('connection', {
      id,
      nsp: name,
      query: socket.handshake.query,
      transport: socket.conn.transport.name,
      engine: socket.conn.id,
    });
    socket.conn.on('upgrade', (transport) => out('upgrade', { id, transport: transport.name }));
    // 2.x has no onAny: a socket middleware sees every incoming event (with its ack callback).
    socket.use((packet, next) => {
      const [event, ...all] = packet;
      const [args, ack] = splitAck(all);
      out('event', { id, nsp: name, name: event, args: toJson(args), ack: ack !== undefined });
      next();
    });
    socket.on('echo', (...all) => {
      const [args, ack] = splitAck(all);
      if (ack) ack(...args);
    });
    socket.on('broadcast', (...all) => {
      const [args] = splitAck(all);
      nsp.emit('broadcast', ...args);
    });
    socket.on('disconnect', (reason) =>
      out('disconnect', { id, nsp: name, reason, description: describe(undefined) }),
    );
  });
}

function matching(cmd) {
  const nsp = io.of(cmd.nsp ?? '/');
  return Object.values(nsp.connected).filter(
    (socket) => cmd.to === undefined || socket.id === cmd.to || cmd.to in socket.rooms,
  );
}

function close() {
  io.close(() => process.exit(0));
  httpServer.closeAllConnections();
}

commands((cmd) => {
  switch (cmd.cmd) {
    case 'emit': {
      const nsp = io.of(cmd.nsp ?? '/');
      (cmd.to === undefined ? nsp : nsp.to(cmd.to)).emit(cmd.name, ...fromJson(cmd.args ?? []));
      break;
    }
    case 'emitWithAck': {
      const tag = cmd.tag ?? null;
      for (const socket of matching(cmd)) {
        let done = false;
        const timer = setTimeout(() => {
          done = true;
          out('ackError', { tag, message: 'operation has timed out' });
        }, cmd.timeout ?? 5000);
        socket.emit(cmd.name, ...fromJson(cmd.args ?? []), (...replies) => {
          if (done) return;
          clearTimeout(timer);
          out('ack', { tag, args: toJson(replies) });
        });
      }
      break;
    }
    case 'disconnectAll':
      for (const socket of matching(cmd)) socket.disconnect(cmd.close === true);
      break;
    case 'join':
      for (const socket of matching(cmd)) socket.join(cmd.room);
      out('joined', { room: cmd.room });
      break;
    case 'closeConnection':
      for (const socket of matching(cmd)) socket.conn.close();
      break;
    case 'close':
      close();
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
}, close);

httpServer.listen(Number(port), '127.0.0.1', () =>
  out('listening', { port: httpServer.address().port, path: io.path(), version: 2 }),
);
