package dev.sio4j.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A family of dynamic namespaces ({@code io.of(Pattern)} or {@code io.of(matcher)}): each name the
 * matcher accepts becomes a child namespace that copies this parent's middlewares and connection
 * listeners when it is created. Emitting on the parent reaches every child.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ParentNamespace {
  private final NamespaceMatcher matcher;
  private final List<Middleware> middlewares = new CopyOnWriteArrayList<>();
  private final List<Consumer<Socket>> connectionListeners = new CopyOnWriteArrayList<>();
  private final Set<Namespace> children = ConcurrentHashMap.newKeySet();

  ParentNamespace(NamespaceMatcher matcher) {
    this.matcher = matcher;
  }

  NamespaceMatcher matcher() {
    return matcher;
  }

  public ParentNamespace use(Middleware middleware) {
    middlewares.add(middleware);
    return this;
  }

  public ParentNamespace onConnection(Consumer<Socket> listener) {
    connectionListeners.add(listener);
    return this;
  }

  /** The child namespaces created so far. */
  public List<Namespace> children() {
    return new ArrayList<>(children);
  }

  /** Emits to every socket of every child namespace. */
  public void emit(String event, Object... args) {
    for (Namespace child : children) {
      child.emit(event, args);
    }
  }

  /** Emits to the members of these rooms in every child namespace. */
  public void emitTo(Set<String> rooms, String event, Object... args) {
    String[] r = rooms.toArray(new String[0]);
    for (Namespace child : children) {
      child.to(r).emit(event, args);
    }
  }

  void adopt(Namespace child) {
    middlewares.forEach(child::use);
    connectionListeners.forEach(child::onConnection);
    children.add(child);
  }

  void release(Namespace child) {
    children.remove(child);
  }
}
