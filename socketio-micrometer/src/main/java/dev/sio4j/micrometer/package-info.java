/**
 * Micrometer meters for a sio4j Socket.IO server, without Spring: {@link
 * dev.sio4j.micrometer.SocketIoMetrics#bind SocketIoMetrics.bind(server, registry)} before the
 * server starts.
 *
 * <p>The meters, each with the common tags given to the builder. {@code namespace} is the
 * namespace's name (or what {@code namespaceTag} maps it to); the event counters carry an {@code
 * event} tag only when {@code eventNameTag(true)} was asked for.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>Name</th><th>Type</th><th>Tags</th><th>What it counts</th></tr>
 *   <tr><td>{@code socketio.engine.connections}</td><td>gauge (connections)</td>
 *       <td>{@code transport} ({@code polling}, {@code websocket})</td>
 *       <td>Engine.IO connections open, by their current transport</td></tr>
 *   <tr><td>{@code socketio.engine.upgrades}</td><td>counter</td><td>{@code transport}</td>
 *       <td>connections upgraded from polling to WebSocket</td></tr>
 *   <tr><td>{@code socketio.sockets.connected}</td><td>gauge</td><td>{@code namespace}</td>
 *       <td>sockets connected to the namespace</td></tr>
 *   <tr><td>{@code socketio.connect.errors}</td><td>counter</td>
 *       <td>{@code namespace}, {@code reason} ({@code middleware}; {@code invalid namespace} with
 *       {@code namespace=unknown})</td>
 *       <td>CONNECT packets answered with CONNECT_ERROR</td></tr>
 *   <tr><td>{@code socketio.disconnects}</td><td>counter</td>
 *       <td>{@code namespace}, {@code reason} (the reference's strings: {@code transport close},
 *       {@code ping timeout}, {@code client namespace disconnect}, {@code server namespace
 *       disconnect}, {@code server shutting down}, ...)</td>
 *       <td>sockets that left the namespace</td></tr>
 *   <tr><td>{@code socketio.events.received}, {@code socketio.events.sent}</td><td>counter</td>
 *       <td>{@code namespace} [{@code event}]</td>
 *       <td>events received from clients; events written to sockets (a broadcast counts once per
 *       socket it reaches)</td></tr>
 *   <tr><td>{@code socketio.events.received.bytes}, {@code socketio.events.sent.bytes}</td>
 *       <td>counter (bytes)</td><td>{@code namespace} [{@code event}]</td>
 *       <td>their size as the parser encodes them (text in UTF-8, binary attachments as they are),
 *       without the Engine.IO framing</td></tr>
 *   <tr><td>{@code socketio.broadcast.deliveries}</td><td>counter</td><td>{@code namespace}</td>
 *       <td>sockets reached through the adapter: broadcasts (and, with connection state recovery,
 *       a socket's own emits, which the adapter logs for replay)</td></tr>
 *   <tr><td>{@code socketio.acks.pending}</td><td>gauge</td><td>{@code namespace}</td>
 *       <td>acknowledgements the server waits for from clients</td></tr>
 *   <tr><td>{@code socketio.acks.timeouts}</td><td>counter</td><td>{@code namespace}</td>
 *       <td>acknowledgements not answered within their timeout</td></tr>
 *   <tr><td>{@code socketio.recovery.attempts}, {@code socketio.recovery.successes}</td>
 *       <td>counter</td><td>{@code namespace}</td>
 *       <td>clients that asked to recover their session; sessions recovered</td></tr>
 *   <tr><td>{@code socketio.cluster.requests}, {@code socketio.cluster.requests.timeouts}</td>
 *       <td>counter</td>
 *       <td>{@code namespace}, {@code type} ({@code fetch_sockets}, {@code server_side_emit},
 *       {@code broadcast})</td>
 *       <td>requests a cluster adapter sent to the other nodes; those not answered in time</td></tr>
 * </table>
 *
 * <p>Thread-safety: see {@link dev.sio4j.micrometer.SocketIoMetrics}.
 */
package dev.sio4j.micrometer;
