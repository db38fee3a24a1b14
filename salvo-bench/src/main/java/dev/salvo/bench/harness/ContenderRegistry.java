package dev.salvo.bench.harness;

import dev.salvo.TransportType;
import dev.salvo.bench.peer.FfmReceiver;
import dev.salvo.bench.peer.JdkReceiver;
import dev.salvo.bench.peer.JdkSender;
import dev.salvo.bench.peer.NettyReceiver;
import dev.salvo.bench.peer.NettySender;
import dev.salvo.bench.peer.SalvoReceiver;
import dev.salvo.bench.peer.SalvoSender;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The senders and receivers {@code salvo bench} knows, by name, in table order.
 *
 * <p>The harness and each child JVM build the same registry ({@link #standard()}), so a child
 * finds its contender from the name on its command line. Add Salvo's contenders either with one
 * line in {@link #standard()} or from a {@link ContenderProvider}.
 */
public final class ContenderRegistry {
    /** The send-side ratio baseline: C {@code sendmmsg}, 64 datagrams per call. */
    public static final String SEND_BASELINE = "c/sendmmsg";
    /** The receive-side ratio baseline: C {@code recvmmsg}, 64 datagrams per call. */
    public static final String RECEIVE_BASELINE = "c/recvmmsg";
    /** The fastest sender, which feeds the receivers on the receive side when C is available. */
    public static final String FAST_FEEDER = "c/gso";
    /** The feeder and drain receiver used when no C compiler is present. */
    public static final String JDK = "jdk";

    /**
     * Separates a contender's name from its loop count in the name of a multi-loop variant:
     * {@code salvo/vector@2}, {@code salvo/recvmmsg@2}.
     */
    public static final String LOOPS_SEPARATOR = "@";
    /** Salvo on epoll: the row the many-sockets tables compare CPU per datagram with. */
    public static final String MANY_SOCKETS_BASELINE = "salvo/recvmmsg";
    /** The receivers of {@code --sockets} unless named: Salvo and Netty, each on epoll and io_uring. */
    public static final List<String> MANY_SOCKETS_RECEIVERS =
            List.of(MANY_SOCKETS_BASELINE, "salvo/io_uring", "netty", "netty/io_uring");

    /** The most event loops a multi-loop variant may use. */
    public static final int MAX_LOOPS = 64;

    private final Map<String, Contender<JavaSender>> senders;
    private final Map<String, Contender<JavaReceiver>> receivers;
    private final Map<String, IntFunction<? extends JavaSender>> multiLoopSenders;
    private final Map<String, IntFunction<? extends JavaReceiver>> multiLoopReceivers;

    private ContenderRegistry(Builder builder) {
        this(builder.senders, builder.receivers, builder.multiLoopSenders, builder.multiLoopReceivers);
    }

    private ContenderRegistry(Map<String, Contender<JavaSender>> senders, Map<String, Contender<JavaReceiver>> receivers,
                              Map<String, IntFunction<? extends JavaSender>> multiLoopSenders,
                              Map<String, IntFunction<? extends JavaReceiver>> multiLoopReceivers) {
        this.senders = Collections.unmodifiableMap(new LinkedHashMap<>(senders));
        this.receivers = Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
        this.multiLoopSenders = Collections.unmodifiableMap(new LinkedHashMap<>(multiLoopSenders));
        this.multiLoopReceivers = Collections.unmodifiableMap(new LinkedHashMap<>(multiLoopReceivers));
    }

    /** @return the built-in contenders followed by those of every {@link ContenderProvider} found */
    public static ContenderRegistry standard() {
        Builder builder = new Builder();
        // Netty 4.2 turns its Unsafe fast paths off on JDK 24+ unless told otherwise; allow them so
        // Netty is measured in its best configuration (the flag exists from JDK 23).
        List<String> nettyOptions = Runtime.version().feature() >= 23
                ? List.of("--sun-misc-unsafe-memory-access=allow") : List.of();

        builder.multiLoopSender("salvo/vector", "sendmmsg via FFM, flush per 64", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.VECTOR, loops));
        builder.multiLoopSender("salvo/scalar", "sendmsg via FFM, flush per datagram", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.SCALAR, loops));
        builder.multiLoopSender("salvo/gso", "explicit GSO (UDP_SEGMENT), <=64 segments", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.GSO, loops));
        builder.multiLoopSender("salvo/auto-gso", "GSO_AUTO coalescing, flush per 1024", Role.SALVO,
                loops -> new SalvoSender(SalvoSender.Mechanism.AUTO_GSO, loops));
        builder.nativeSender(SEND_BASELINE, "sendmmsg, 64 per call", "salvo_bench_send", "sendmmsg");
        builder.nativeSender(FAST_FEEDER, "GSO (UDP_SEGMENT), <=64 segments", "salvo_bench_send", "gso");
        builder.sender(JDK, "DatagramChannel.send, blocking", Role.JAVA_PEER, JdkSender::new);
        builder.add(builder.senders, new Contender<>("netty", "epoll, flush per 64 -> sendmmsg",
                Role.JAVA_PEER, new Launch.InJvm<JavaSender>(NettySender::new, nettyOptions)));
        builder.add(builder.senders, new Contender<>("netty/io_uring", "io_uring, flush per 64 -> SENDMSG SQEs",
                Role.JAVA_PEER, new Launch.InJvm<JavaSender>(() -> new NettySender(true), nettyOptions)));

        builder.multiLoopReceiver("salvo/recvmmsg", "recvmmsg via FFM, 64 per call", Role.SALVO,
                loops -> new SalvoReceiver(false, 64, false, TransportType.EPOLL, loops));
        builder.multiLoopReceiver("salvo/gro", "recvmmsg x8 + UDP_GRO, split", Role.SALVO,
                loops -> new SalvoReceiver(true, 64, false, TransportType.EPOLL, loops));
        builder.receiver("salvo/one-per-call", "READ_BATCH_SIZE 1: one datagram per call", Role.SALVO,
                () -> new SalvoReceiver(false, 1));
        builder.receiver("salvo/recvmmsg+meta", "recvmmsg x64, ECN + packet info + timestamps", Role.SALVO,
                () -> new SalvoReceiver(false, 64, true));
        // Salvo's ceiling in Java: the same system call with nothing around it.
        builder.receiver("ffm/recvmmsg", "bare FFM loop: blocking recvmmsg x64, no event loop", Role.SALVO,
                FfmReceiver::new);
        builder.nativeReceiver(RECEIVE_BASELINE, "recvmmsg, 64 per call", "salvo_bench_recv", "");
        // The fair reference for GRO receivers: C with the same kernel coalescing.
        builder.nativeReceiver("c/gro", "recvmmsg x8 + UDP_GRO", "salvo_bench_recv", "gro");
        // What the kernel charges for the metadata row's three control messages, read in C.
        builder.nativeReceiver("c/recvmmsg+meta", "recvmmsg x64, ECN + packet info + timestamps", "salvo_bench_recv",
                "meta");
        builder.receiver(JDK, "DatagramChannel.receive, blocking", Role.JAVA_PEER, JdkReceiver::new);
        for (NettyReceiver.Variant variant : NettyReceiver.Variant.values()) {
            builder.add(builder.receivers, new Contender<>(variant.contenderName(), variant.mechanism(),
                    Role.JAVA_PEER, new Launch.InJvm<JavaReceiver>(() -> new NettyReceiver(variant), nettyOptions)));
        }

        for (ContenderProvider provider : ServiceLoader.load(ContenderProvider.class)) {
            provider.register(builder);
        }
        return builder.build();
    }

    /** @return the senders, in table order */
    public List<Contender<JavaSender>> senders() {
        return List.copyOf(senders.values());
    }

    /** @return the receivers, in table order */
    public List<Contender<JavaReceiver>> receivers() {
        return List.copyOf(receivers.values());
    }

    /**
     * @param name a sender name, or the name of a multi-loop sender followed by
     *     {@value #LOOPS_SEPARATOR} and a loop count ({@code salvo/vector@2})
     * @return the sender of that name, if registered
     */
    public Optional<Contender<JavaSender>> sender(String name) {
        Contender<JavaSender> plain = senders.get(name);
        return plain != null ? Optional.of(plain) : Optional.ofNullable(multiLoopVariant(name, senders, multiLoopSenders));
    }

    /**
     * A copy in which every sender and receiver that can run on several event loops is followed by
     * its variant on {@code loops} loops, named {@code name@loops} (a receiver's variant binds a
     * {@link dev.salvo.ReusePortGroup}: one {@code SO_REUSEPORT} channel per loop on one port).
     *
     * @param loops event loops per variant, 2 to {@value #MAX_LOOPS}; 1 returns this registry
     * @return the registry with the variants
     */
    public ContenderRegistry withLoops(int loops) {
        if (loops < 1 || loops > MAX_LOOPS) {
            throw new IllegalArgumentException("loops must be between 1 and " + MAX_LOOPS + ", not " + loops);
        }
        if (loops == 1) {
            return this;
        }
        Map<String, Contender<JavaReceiver>> rx = new LinkedHashMap<>();
        withVariants(receivers, multiLoopReceivers, loops).forEach((name, c) -> {
            rx.put(name, c);
            if (name.equals(RECEIVE_BASELINE)) {
                Contender<JavaReceiver> threads = threadedBaseline(loops);
                rx.put(threads.name(), threads);
            }
        });
        return new ContenderRegistry(withVariants(senders, multiLoopSenders, loops), rx, multiLoopSenders,
                multiLoopReceivers);
    }

    /** The C reference of a reuse-port group: {@code loops} SO_REUSEPORT sockets on one port, one thread each. */
    private static Contender<JavaReceiver> threadedBaseline(int loops) {
        return new Contender<>(RECEIVE_BASELINE + LOOPS_SEPARATOR + loops, "recvmmsg x64, " + loops
                + " SO_REUSEPORT sockets on " + loops + " threads", Role.C_REFERENCE,
                new Launch.Native<JavaReceiver>("salvo_bench_recv", "threads=" + loops));
    }

    private static <T> Map<String, Contender<T>> withVariants(Map<String, Contender<T>> side,
                                                               Map<String, IntFunction<? extends T>> factories, int loops) {
        Map<String, Contender<T>> all = new LinkedHashMap<>();
        for (Contender<T> c : side.values()) {
            all.put(c.name(), c);
            if (factories.containsKey(c.name())) {
                Contender<T> variant = multiLoopVariant(c.name() + LOOPS_SEPARATOR + loops, side, factories);
                all.put(variant.name(), variant);
            }
        }
        return all;
    }

    /**
     * @param name a contender name, possibly with a loop count
     * @return the loop count of a multi-loop variant ({@code 2} for {@code salvo/recvmmsg@2}), else 1
     */
    public static int loopsOf(String name) {
        int at = name.lastIndexOf(LOOPS_SEPARATOR);
        if (at < 0) {
            return 1;
        }
        try {
            return Math.max(1, Integer.parseInt(name.substring(at + 1)));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /**
     * @param name a sender name, possibly with a loop count
     * @return the name without its loop count, e.g. {@code salvo/vector} for {@code salvo/vector@2}
     */
    public static String baseName(String name) {
        int at = name.lastIndexOf(LOOPS_SEPARATOR);
        return at < 0 ? name : name.substring(0, at);
    }

    /** The {@code base@N} variant of a multi-loop contender, or null when the name is not one. */
    private static <T> Contender<T> multiLoopVariant(String name, Map<String, Contender<T>> side,
                                                     Map<String, IntFunction<? extends T>> factories) {
        int at = name.lastIndexOf(LOOPS_SEPARATOR);
        if (at < 0) {
            return null;
        }
        IntFunction<? extends T> factory = factories.get(name.substring(0, at));
        int loops;
        try {
            loops = Integer.parseInt(name.substring(at + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (factory == null || loops < 1 || loops > MAX_LOOPS) {
            return null;
        }
        Contender<T> base = side.get(name.substring(0, at));
        return new Contender<>(name, base.mechanism() + ", " + loops + " loops", base.role(),
                new Launch.InJvm<T>(() -> factory.apply(loops), List.of()));
    }

    /**
     * @param name a receiver name, or the name of a multi-loop receiver followed by
     *     {@value #LOOPS_SEPARATOR} and a loop count ({@code salvo/recvmmsg@2})
     * @return the receiver of that name, if registered
     */
    public Optional<Contender<JavaReceiver>> receiver(String name) {
        Contender<JavaReceiver> plain = receivers.get(name);
        if (plain == null && baseName(name).equals(RECEIVE_BASELINE) && !name.equals(RECEIVE_BASELINE)) {
            int loops = loopsOf(name);
            return loops > 1 && name.equals(RECEIVE_BASELINE + LOOPS_SEPARATOR + loops) && loops <= MAX_LOOPS
                    ? Optional.of(threadedBaseline(loops)) : Optional.empty();
        }
        return plain != null ? Optional.of(plain)
                : Optional.ofNullable(multiLoopVariant(name, receivers, multiLoopReceivers));
    }

    /** Collects contenders; names are unique per side. */
    public static final class Builder {
        private final Map<String, Contender<JavaSender>> senders = new LinkedHashMap<>();
        private final Map<String, Contender<JavaReceiver>> receivers = new LinkedHashMap<>();
        private final Map<String, IntFunction<? extends JavaSender>> multiLoopSenders = new LinkedHashMap<>();
        private final Map<String, IntFunction<? extends JavaReceiver>> multiLoopReceivers = new LinkedHashMap<>();

        /** Creates an empty builder; {@link ContenderRegistry#standard()} is the usual start. */
        public Builder() {
        }

        /**
         * Adds a Java sender that runs in a child JVM with the default options.
         *
         * @param name      the unique name, e.g. {@code salvo/vector}
         * @param mechanism how it sends, in a few words
         * @param role      what it is compared as
         * @param factory   makes the sender inside the child
         * @return this builder
         */
        public Builder sender(String name, String mechanism, Role role, Supplier<? extends JavaSender> factory) {
            return add(senders, new Contender<>(name, mechanism, role, new Launch.InJvm<JavaSender>(factory, List.of())));
        }

        /**
         * Adds a Java sender that can also run on several event loops: on one loop under
         * {@code name}, and as {@code name@N} on N loops (see {@link ContenderRegistry#withLoops}).
         *
         * @param name      the unique name, e.g. {@code salvo/vector}
         * @param mechanism how it sends, in a few words
         * @param role      what it is compared as
         * @param factory   makes the sender for a loop count inside the child
         * @return this builder
         */
        public Builder multiLoopSender(String name, String mechanism, Role role,
                                       IntFunction<? extends JavaSender> factory) {
            sender(withoutLoops(name), mechanism, role, () -> factory.apply(1));
            multiLoopSenders.put(name, factory);
            return this;
        }

        /**
         * Adds a Java receiver that can also run on several event loops: on one loop under
         * {@code name}, and as {@code name@N} on N loops (see {@link ContenderRegistry#withLoops}),
         * where it reads one port with N {@code SO_REUSEPORT} channels and is fed by N senders.
         *
         * @param name      the unique name, e.g. {@code salvo/recvmmsg}
         * @param mechanism how it receives, in a few words
         * @param role      what it is compared as
         * @param factory   makes the receiver for a loop count inside the child
         * @return this builder
         */
        public Builder multiLoopReceiver(String name, String mechanism, Role role,
                                         IntFunction<? extends JavaReceiver> factory) {
            receiver(withoutLoops(name), mechanism, role, () -> factory.apply(1));
            multiLoopReceivers.put(name, factory);
            return this;
        }

        /**
         * Adds a Java receiver that runs in a child JVM with the default options.
         *
         * @param name      the unique name, e.g. {@code salvo/recvmmsg}
         * @param mechanism how it receives, in a few words
         * @param role      what it is compared as
         * @param factory   makes the receiver inside the child
         * @return this builder
         */
        public Builder receiver(String name, String mechanism, Role role, Supplier<? extends JavaReceiver> factory) {
            return add(receivers, new Contender<>(name, mechanism, role, new Launch.InJvm<JavaReceiver>(factory, List.of())));
        }

        /** A multi-loop contender's own name has no loop count: {@code @N} is added to name its variants. */
        private static String withoutLoops(String name) {
            if (name.contains(LOOPS_SEPARATOR)) {
                throw new IllegalArgumentException("a multi-loop contender's name has no '" + LOOPS_SEPARATOR + "': "
                        + name);
            }
            return name;
        }

        private void nativeSender(String name, String mechanism, String program, String mode) {
            add(senders, new Contender<>(name, mechanism, Role.C_REFERENCE, new Launch.Native<JavaSender>(program, mode)));
        }

        private void nativeReceiver(String name, String mechanism, String program, String mode) {
            add(receivers, new Contender<>(name, mechanism, Role.C_REFERENCE, new Launch.Native<JavaReceiver>(program, mode)));
        }

        private <T> Builder add(Map<String, Contender<T>> side, Contender<T> contender) {
            if (side.putIfAbsent(contender.name(), contender) != null) {
                throw new IllegalArgumentException("two contenders are named '" + contender.name() + "'");
            }
            return this;
        }

        /** @return the registry */
        public ContenderRegistry build() {
            return new ContenderRegistry(this);
        }
    }

    /** @return the names of all senders and receivers, for error messages */
    List<String> allNames() {
        List<String> names = new ArrayList<>(senders.keySet());
        receivers.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }
}
