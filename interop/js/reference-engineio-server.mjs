// The Node engine.io server as the behaviour reference: echoes every message back.
// Usage: node reference-engineio-server.mjs <port> [engine.io options JSON] [--timeout=s]
// Extra options: "echo": false stops echoing; "tls": {"key": pemPath, "cert": pemPath} serves HTTPS.
// stdin: {"cmd":"send","text"|"binary":...,"id"?:sid} (to one or all sockets)
//        {"cmd":"closeSockets"} | {"cmd":"close"}
//        {"cmd":"stats"} -> one "stats" line per socket: its transport, whether that transport
//          sends binary as binary (false after b64=1), the negotiated WebSocket extensions and the
//          bytes read from its TCP connection (how a test sees that compression happened).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Server } from 'engine.io';
import { commands, describe, messageData, messageFields, out, parseArgs, parseJson } from './lib.mjs';

const [port, optionsJson] = parseArgs();
const { echo = true, tls, ...options } = parseJson(optionsJson);

const httpServer = tls
  ? createHttpsServer({ key: readFileSync(tls.key), cert: readFileSync(tls.cert) })
  : createServer();
const engine = new Server(options);
engine.attach(httpServer, options);

engine.on('connection', (socket) => {
  const id = socket.id;
  out('connection', {
    id,
    transport: socket.transport.name,
    protocol: socket.protocol,
    query: socket.request._query,
  });
  socket.on('upgrade', (transport) => out('upgrade', { id, transport: transport.name }));
  socket.on('message', (data) => {
    out('message', { id, ...messageFields(data) });
    if (echo) socket.send(data);
  });
  socket.on('close', (reason, description) =>
    out('close', { id, reason, description: describe(description) }),
  );
});
engine.on('connection_error', (err) =>
  out('connection_error', { code: err.code, message: err.message }),
);

function close() {
  engine.close();
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
}

commands((cmd) => {
  switch (cmd.cmd) {
    case 'send':
      for (const socket of Object.values(engine.clients)) {
        if (cmd.id === undefined || cmd.id === socket.id) socket.send(messageData(cmd));
      }
      break;
    case 'stats':
      for (const socket of Object.values(engine.clients)) {
        const ws = socket.transport.name === 'websocket' ? socket.transport.socket : undefined;
        out('stats', {
          id: socket.id,
          transport: socket.transport.name,
          supportsBinary: socket.transport.supportsBinary,
          extensions: ws ? ws.extensions : null,
          bytesRead: ws ? ws._socket.bytesRead : null,
        });
      }
      break;
    case 'closeSockets':
      for (const socket of Object.values(engine.clients)) socket.close();
      break;
    case 'close':
      close();
      break;
    default:
      out('error', { message: `unknown command ${cmd.cmd}` });
  }
}, close);

httpServer.listen(Number(port), '127.0.0.1', () =>
  out('listening', { port: httpServer.address().port, path: options.path ?? '/engine.io' }),
);
