package dev.sio4j.spring.boot;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.sio4j.common.Ack;
import dev.sio4j.common.Arguments;
import dev.sio4j.server.DisconnectReason;
import dev.sio4j.server.Middleware;
import dev.sio4j.server.Namespace;
import dev.sio4j.server.Socket;
import dev.sio4j.server.SocketIoServer;
import dev.sio4j.socketio.parser.SioPacket;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Binds the {@link SocketIoController} beans' methods and the {@link Middleware} beans to the
 * server once every singleton exists (so a controller may inject the server it is bound to), and
 * refuses a method it cannot bind, failing the context's refresh before the server listens.
 *
 * <p>Thread-safety: binding runs once, on the thread refreshing the context; the listeners it
 * registers run as socket listeners do.
 */
final class AnnotatedHandlers implements SmartInitializingSingleton {
  private static final Logger log = LoggerFactory.getLogger(AnnotatedHandlers.class);

  private final ListableBeanFactory beans;
  private final SocketIoServer server;
  private final ObjectMapper mapper;
  private final ObjectProvider<Middleware> middlewares;

  AnnotatedHandlers(
      ListableBeanFactory beans,
      SocketIoServer server,
      ObjectMapper mapper,
      ObjectProvider<Middleware> middlewares) {
    this.beans = beans;
    this.server = server;
    this.mapper = mapper;
    this.middlewares = middlewares;
  }

  @Override
  public void afterSingletonsInstantiated() {
    bindMiddlewares();
    Map<String, NamespaceHandlers> byNamespace = new LinkedHashMap<>();
    for (String name : beans.getBeanNamesForAnnotation(SocketIoController.class)) {
      Object bean = beans.getBean(name);
      SocketIoController controller =
          AnnotatedElementUtils.findMergedAnnotation(
              AopUtils.getTargetClass(bean), SocketIoController.class);
      if (controller == null) {
        controller = beans.findAnnotationOnBean(name, SocketIoController.class);
      }
      String nsp = normalise(controller.namespace());
      NamespaceHandlers handlers = byNamespace.computeIfAbsent(nsp, NamespaceHandlers::new);
      collect(bean, handlers);
    }
    byNamespace.values().forEach(this::register);
  }

  private void bindMiddlewares() {
    middlewares
        .orderedStream()
        .forEach(
            mw -> {
              SocketIoMiddleware annotation =
                  AnnotatedElementUtils.findMergedAnnotation(
                      AopUtils.getTargetClass(mw), SocketIoMiddleware.class);
              String[] namespaces = annotation == null ? new String[] {"/"} : annotation.value();
              for (String nsp : namespaces) {
                server.of(normalise(nsp)).use(mw);
              }
            });
  }

  private static String normalise(String nsp) {
    return nsp.startsWith("/") ? nsp : "/" + nsp;
  }

  private void collect(Object bean, NamespaceHandlers handlers) {
    Class<?> type = AopUtils.getTargetClass(bean);
    ReflectionUtils.doWithMethods(
        type,
        method -> {
          boolean connect = AnnotatedElementUtils.hasAnnotation(method, OnConnect.class);
          boolean disconnect = AnnotatedElementUtils.hasAnnotation(method, OnDisconnect.class);
          OnEvent event = AnnotatedElementUtils.findMergedAnnotation(method, OnEvent.class);
          int count = (connect ? 1 : 0) + (disconnect ? 1 : 0) + (event != null ? 1 : 0);
          if (count == 0) {
            return;
          }
          String where = type.getName() + "#" + method.getName();
          if (count > 1) {
            throw new InvalidHandlerException(
                where + ": @OnConnect, @OnDisconnect and @OnEvent exclude each other");
          }
          if (Modifier.isStatic(method.getModifiers())) {
            throw new InvalidHandlerException(where + ": a handler method must not be static");
          }
          Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
          ReflectionUtils.makeAccessible(invocable);
          if (connect) {
            handlers.connect.add(
                new Bound(
                    bean, invocable, where, bindings(where, method, KIND_CONNECT), null, false));
          } else if (disconnect) {
            handlers.disconnect.add(
                new Bound(
                    bean, invocable, where, bindings(where, method, KIND_DISCONNECT), null, false));
          } else {
            String name = event.value();
            if (name.isEmpty()) {
              throw new InvalidHandlerException(where + ": @OnEvent needs an event name");
            }
            if (SioPacket.RESERVED_EVENTS.contains(name)) {
              throw new InvalidHandlerException(
                  where
                      + ": '"
                      + name
                      + "' is a reserved event name that no client sends as an event"
                      + (name.startsWith("disconnect") ? " (use @OnDisconnect)" : ""));
            }
            List<Binding> b = bindings(where, method, KIND_EVENT);
            boolean returns =
                method.getReturnType() != void.class && method.getReturnType() != Void.class;
            if (returns && b.stream().anyMatch(x -> x.kind == Binding.ACK)) {
              throw new InvalidHandlerException(
                  where
                      + ": a method that returns the ack's answer takes no Ack parameter (return"
                      + " void to answer through the Ack)");
            }
            handlers.events.add(new Bound(bean, invocable, where, b, name, returns));
          }
        },
        ReflectionUtils.USER_DECLARED_METHODS);
  }

  private static final int KIND_CONNECT = 0;
  private static final int KIND_DISCONNECT = 1;
  private static final int KIND_EVENT = 2;

  private List<Binding> bindings(String where, Method method, int kind) {
    List<Binding> out = new ArrayList<>();
    int payload = 0;
    for (Parameter p : method.getParameters()) {
      Class<?> t = p.getType();
      if (t == Socket.class) {
        out.add(new Binding(Binding.SOCKET, 0, null));
      } else if (kind == KIND_DISCONNECT && t == DisconnectReason.class) {
        out.add(new Binding(Binding.REASON, 0, null));
      } else if (kind == KIND_EVENT && t == Ack.class) {
        out.add(new Binding(Binding.ACK, 0, null));
      } else if (kind == KIND_EVENT && t == Arguments.class) {
        out.add(new Binding(Binding.ARGUMENTS, 0, null));
      } else if (kind == KIND_EVENT) {
        out.add(
            new Binding(
                Binding.PAYLOAD, payload++, mapper.constructType(p.getParameterizedType())));
      } else {
        String allowed = kind == KIND_CONNECT ? "Socket" : "Socket and DisconnectReason";
        throw new InvalidHandlerException(
            where
                + ": parameter "
                + p.getName()
                + " of type "
                + p.getParameterizedType().getTypeName()
                + " cannot be bound ("
                + (kind == KIND_CONNECT ? "@OnConnect" : "@OnDisconnect")
                + " methods take "
                + allowed
                + ")");
      }
    }
    return out;
  }

  private void register(NamespaceHandlers handlers) {
    Namespace nsp = server.of(handlers.name);
    List<Bound> events = List.copyOf(handlers.events);
    List<Bound> connects = List.copyOf(handlers.connect);
    List<Bound> disconnects = List.copyOf(handlers.disconnect);
    nsp.onConnection(
        socket -> {
          for (Bound h : events) {
            socket.on(h.event, (args, ack) -> onEvent(h, socket, args, ack));
          }
          if (!disconnects.isEmpty()) {
            socket.onDisconnect(
                reason -> {
                  for (Bound h : disconnects) {
                    invoke(h, socket, null, Ack.NONE, reason, null, "disconnect");
                  }
                });
          }
          for (Bound h : connects) {
            invoke(h, socket, null, Ack.NONE, null, null, "connect");
          }
        });
    log.debug(
        "Socket.IO namespace {}: {} event handlers, {} connect, {} disconnect",
        handlers.name,
        events.size(),
        connects.size(),
        disconnects.size());
  }

  private void onEvent(Bound h, Socket socket, Arguments args, Ack ack) {
    Object[] payload = new Object[h.bindings.size()];
    for (int i = 0; i < payload.length; i++) {
      Binding b = h.bindings.get(i);
      if (b.kind != Binding.PAYLOAD) {
        continue;
      }
      try {
        payload[i] = convert(args, b.index, b.type);
      } catch (RuntimeException e) {
        log.warn(
            "Socket.IO event '{}' in namespace {} from socket {}: argument {} is not a {} ({}): {}"
                + " not called",
            h.event,
            socket.namespace().name(),
            socket.id(),
            b.index,
            b.type.toCanonical(),
            e.getMessage(),
            h.where);
        return;
      }
    }
    Object result = invoke(h, socket, args, ack, null, payload, h.event);
    if (!h.returns || !ack.requested() || result == FAILED) {
      return;
    }
    if (result instanceof CompletionStage<?> stage) {
      stage.whenComplete(
          (value, error) -> {
            if (error != null) {
              log.warn(
                  "Socket.IO handler {} for event '{}' in namespace {} (socket {}) completed"
                      + " exceptionally",
                  h.where,
                  h.event,
                  socket.namespace().name(),
                  socket.id(),
                  error);
            } else {
              ack.send(value);
            }
          });
    } else {
      ack.send(result);
    }
  }

  private Object convert(Arguments args, int index, JavaType type) {
    if (index >= args.size()) {
      return type.isPrimitive() ? mapper.convertValue(NullNode.getInstance(), type) : null;
    }
    Class<?> raw = type.getRawClass();
    JsonNode node = args.json(index);
    if (raw == byte[].class && node.isBinary()) {
      return args.bytes(index);
    }
    if (raw == ByteBuffer.class) {
      return args.get(index, ByteBuffer.class);
    }
    try {
      return mapper.treeToValue(node, type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  private static final Object FAILED = new Object();

  private Object invoke(
      Bound h,
      Socket socket,
      Arguments args,
      Ack ack,
      DisconnectReason reason,
      Object[] payload,
      String event) {
    Object[] values = new Object[h.bindings.size()];
    for (int i = 0; i < values.length; i++) {
      Binding b = h.bindings.get(i);
      switch (b.kind) {
        case Binding.SOCKET -> values[i] = socket;
        case Binding.ACK -> values[i] = ack;
        case Binding.ARGUMENTS -> values[i] = args;
        case Binding.REASON -> values[i] = reason;
        default -> values[i] = payload[i];
      }
    }
    try {
      return h.method.invoke(h.bean, values);
    } catch (InvocationTargetException e) {
      log.warn(
          "Socket.IO handler {} for event '{}' in namespace {} (socket {}) threw",
          h.where,
          event,
          socket.namespace().name(),
          socket.id(),
          e.getCause());
    } catch (IllegalAccessException e) {
      log.warn("Socket.IO handler {} cannot be called", h.where, e);
    }
    return FAILED;
  }

  /** What one parameter receives. */
  private static final class Binding {
    static final int SOCKET = 0;
    static final int ACK = 1;
    static final int ARGUMENTS = 2;
    static final int REASON = 3;
    static final int PAYLOAD = 4;

    final int kind;
    final int index;
    final JavaType type;

    Binding(int kind, int index, JavaType type) {
      this.kind = kind;
      this.index = index;
      this.type = type;
    }
  }

  /** A handler method with its bean and parameter bindings. */
  private record Bound(
      Object bean,
      Method method,
      String where,
      List<Binding> bindings,
      String event,
      boolean returns) {}

  /** The handlers of one namespace, across controllers. */
  private static final class NamespaceHandlers {
    final String name;
    final List<Bound> connect = new ArrayList<>();
    final List<Bound> disconnect = new ArrayList<>();
    final List<Bound> events = new ArrayList<>();

    NamespaceHandlers(String name) {
      this.name = name;
    }
  }
}
