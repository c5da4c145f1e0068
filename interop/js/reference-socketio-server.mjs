// The Node socket.io server as the behaviour reference for client interop tests.
// Usage: node reference-socketio-server.mjs <port> [options JSON] [--timeout=s]
// Options: every socket.io ServerOptions key (connectionStateRecovery, transports, pingInterval...)
// passes through ("parser":"msgpack" standing for require("socket.io-msgpack-parser")), plus:
//   "namespaces": ["/admin", ...]   namespaces to create besides "/"
//   "rejectWith": {"message": m, "data": {...}, "nsp"?: "/admin"}  middleware refusing connections
// Default handlers: "echo" acks back its args; "broadcast" is re-emitted to the whole namespace.
// "connection" events carry "engine", the Engine.IO session id (namespaces multiplexed on one
// connection share it).
// stdin (each may carry "nsp", default "/", "to": a room or socket id, and "except": a room or
// socket id to leave out):
//   {"cmd":"emit","name":n,"args":[...]}
//   {"cmd":"emitWithAck","name":n,"args":[...],"timeout":ms,"tag":t}  -> ack {tag,args:[replies]}
//   {"cmd":"disconnectAll","close":bool}   {"cmd":"close"}
//   {"cmd":"join","room":r}  the matching sockets join room r (socketsJoin)
//   {"cmd":"closeConnection"}  closes the Engine.IO connection of the matching sockets without a
//                              DISCONNECT packet (the client sees "transport close")
//   {"cmd":"stats"}  one "stats" line per matching socket: id, transport, the WebSocket's
//                    negotiated extensions and the bytes read from its TCP connection (how a test
//                    sees whether a client's frames were compressed)
import { createServer } from 'node:http';
import { Server } from 'socket.io';
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

const [port, optionsJson] = parseArgs();
const { namespaces = [], rejectWith, ...serverOptions } = parseJson(optionsJson);
if (serverOptions.parser === 'msgpack') serverOptions.parser = msgpackParser;

const httpServer = createServer();
const io = new Server(httpServer, serverOptions);

for (const name of ['/', ...namespaces]) {
  const nsp = io.of(name);
  if (rejectWith && (rejectWith.nsp === undefined || rejectWith.nsp === name)) {
    nsp.use((socket, next) => {
      const err = new Error(rejectWith.message ?? 'rejected');
      if (rejectWith.data !== undefined) err.data = rejectWith.data;
      next(err);
    });
  }
  nsp.on('connection', (socket) => {
    const id = socket.id;
    out('connection', {
      id,
      nsp: name,
      auth: socket.handshake.auth,
      recovered: socket.recovered,
      transport: socket.conn.transport.name,
      engine: socket.conn.id,
    });
    socket.conn.on('upgrade', (transport) => out('upgrade', { id, transport: transport.name }));
    socket.onAny((event, ...all) => {
      const [args, ack] = splitAck(all);
      out('event', { id, nsp: name, name: event, args: toJson(args), ack: ack !== undefined });
    });
    socket.on('echo', (...all) => {
      const [args, ack] = splitAck(all);
      if (ack) ack(...args);
    });
    socket.on('broadcast', (...all) => {
      const [args] = splitAck(all);
      nsp.emit('broadcast', ...args);
    });
    socket.on('disconnect', (reason, details) =>
      out('disconnect', { id, nsp: name, reason, description: describe(details) }),
    );
  });
}

function operator(cmd) {
  const nsp = io.of(cmd.nsp ?? '/');
  const to = cmd.to === undefined ? nsp : nsp.to(cmd.to);
  return cmd.except === undefined ? to : to.except(cmd.except);
}

function close() {
  io.close(() => process.exit(0));
  httpServer.closeAllConnections();
}

commands((cmd) => {
  switch (cmd.cmd) {
    case 'emit':
      operator(cmd).emit(cmd.name, ...fromJson(cmd.args ?? []));
      break;
    case 'emitWithAck': {
      const tag = cmd.tag ?? null;
      operator(cmd)
        .timeout(cmd.timeout ?? 5000)
        .emit(cmd.name, ...fromJson(cmd.args ?? []), (err, replies) => {
          if (err) out('ackError', { tag, message: String(err?.message ?? err) });
          else out('ack', { tag, args: toJson(replies) });
        });
      break;
    }
    case 'disconnectAll':
      operator(cmd).disconnectSockets(cmd.close === true);
      break;
    case 'join':
      operator(cmd).socketsJoin(cmd.room);
      out('joined', { room: cmd.room });
      break;
    case 'closeConnection':
      for (const socket of io.of(cmd.nsp ?? '/').sockets.values()) {
        if (cmd.to === undefined || socket.id === cmd.to || socket.rooms.has(cmd.to)) {
          socket.conn.close();
        }
      }
      break;
    case 'stats':
      for (const socket of io.of(cmd.nsp ?? '/').sockets.values()) {
        if (cmd.to !== undefined && socket.id !== cmd.to && !socket.rooms.has(cmd.to)) continue;
        const transport = socket.conn.transport;
        const ws = transport.name === 'websocket' ? transport.socket : undefined;
        out('stats', {
          id: socket.id,
          transport: transport.name,
          extensions: ws ? ws.extensions : null,
          bytesRead: ws ? ws._socket.bytesRead : null,
        });
      }
      break;
    case 'close':
      close();
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
}, close);

httpServer.listen(Number(port), '127.0.0.1', () =>
  out('listening', {
    port: httpServer.address().port,
    path: io.path(),
    parser: serverOptions.parser === msgpackParser ? 'msgpack' : 'default',
  }),
);
