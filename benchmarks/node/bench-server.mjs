// The Node.js socket.io 4.8 peer under test, implementing the bench contract (benchmarks/README.md).
// Usage: node --expose-gc bench-server.mjs --port N
// socket.io is loaded from interop/node_modules (or $SIO4J_INTEROP_DIR/node_modules).
import { createRequire } from "node:module";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const interop = process.env.SIO4J_INTEROP_DIR || path.resolve(here, "../../interop");
const require = createRequire(path.join(interop, "package.json"));
const { Server } = require("socket.io");

const argv = process.argv.slice(2);
const port = Number(argv[argv.indexOf("--port") + 1] || 3000);

const httpServer = createServer();
const io = new Server(httpServer, { serveClient: false });

io.on("connection", (socket) => {
  socket.on("echo", (...args) => {
    const ack = args.pop();
    ack(...args);
  });
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack("ok");
  });
  socket.on("pub", (room, ...rest) => {
    io.to(room).emit("tick", ...rest);
  });
  socket.on("stats", (...args) => {
    const ack = args.pop();
    if (args[0] === true && global.gc) {
      global.gc();
      global.gc();
    }
    const mem = process.memoryUsage();
    ack({ rss: mem.rss, heapUsed: mem.heapUsed, connections: io.engine.clientsCount });
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`READY node socket.io port=${port}`);
});

const stop = () => io.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
