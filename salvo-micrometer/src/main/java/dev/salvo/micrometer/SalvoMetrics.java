package dev.salvo.micrometer;

import dev.salvo.ChannelStats;
import dev.salvo.DatagramChannel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Registers the counters of {@link DatagramChannel#stats()} as Micrometer meters, for one or more
 * channels, each with its own tags. The meters read {@code stats()} when the registry asks, which
 * never waits for the channel's event loop, so publishing costs the channels nothing.
 *
 * <p>Meters (all function counters unless said otherwise):
 * <ul>
 *   <li>{@code salvo.datagrams} (tag {@code direction}: {@code in}, {@code out}): datagrams read and written;</li>
 *   <li>{@code salvo.bytes} (tag {@code direction}): their payload bytes;</li>
 *   <li>{@code salvo.kernel.drops}: datagrams the kernel dropped for a full receive buffer
 *       (0 where the transport cannot tell);</li>
 *   <li>{@code salvo.truncated}: received datagrams cut for a short buffer;</li>
 *   <li>{@code salvo.write.failures} (tag {@code kind}: {@code too_large}, {@code unreachable},
 *       {@code prohibited}, {@code refused}, {@code offload_refused}, {@code other});</li>
 *   <li>{@code salvo.gso.coalesced.sends} and {@code salvo.gso.coalesced.datagrams}: automatic GSO;</li>
 *   <li>gauges {@code salvo.writable} and {@code salvo.open}: 1 or 0.</li>
 * </ul>
 *
 * <pre>{@code
 * new SalvoMetrics().channel(ch, Tags.of("channel", "quic-server")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters hold their channel weakly, as Micrometer's function meters do; a closed channel
 * keeps reporting its last counts.
 */
public final class SalvoMetrics implements MeterBinder {
    private record Bound(DatagramChannel channel, Tags tags) {
    }

    private final List<Bound> channels = new ArrayList<>();

    /** Creates a binder with no channel yet; add them with {@link #channel(DatagramChannel, Iterable)}. */
    public SalvoMetrics() {
    }

    /**
     * Creates a binder for one channel.
     *
     * @param channel the channel whose counters to publish
     * @param tags the tags of its meters (for example the channel's role); may be empty
     * @throws NullPointerException when an argument is {@code null}
     */
    public SalvoMetrics(DatagramChannel channel, Iterable<Tag> tags) {
        channel(channel, tags);
    }

    /**
     * Adds a channel; its meters are registered by the next {@link #bindTo}. Give each channel
     * tags that tell it from the others, or their meters collide.
     *
     * @param channel the channel whose counters to publish
     * @param tags the tags of its meters; may be empty
     * @return this binder
     * @throws NullPointerException when an argument is {@code null}
     */
    public SalvoMetrics channel(DatagramChannel channel, Iterable<Tag> tags) {
        channels.add(new Bound(Objects.requireNonNull(channel, "channel"), Tags.of(Objects.requireNonNull(tags, "tags"))));
        return this;
    }

    /**
     * Registers the meters of every channel added so far.
     *
     * @param registry where to register them
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (Bound b : channels) {
            bind(registry, b.channel(), b.tags());
        }
    }

    private static void bind(MeterRegistry registry, DatagramChannel ch, Tags tags) {
        counter(registry, ch, tags.and("direction", "in"), "salvo.datagrams", "datagrams",
                "Datagrams read (direction=in) or handed to the kernel (direction=out)", ChannelStats::datagramsRead);
        counter(registry, ch, tags.and("direction", "out"), "salvo.datagrams", "datagrams",
                "Datagrams read (direction=in) or handed to the kernel (direction=out)", ChannelStats::datagramsWritten);
        counter(registry, ch, tags.and("direction", "in"), "salvo.bytes", "bytes",
                "Payload bytes read (direction=in) or handed to the kernel (direction=out)", ChannelStats::bytesRead);
        counter(registry, ch, tags.and("direction", "out"), "salvo.bytes", "bytes",
                "Payload bytes read (direction=in) or handed to the kernel (direction=out)", ChannelStats::bytesWritten);
        counter(registry, ch, tags, "salvo.kernel.drops", "datagrams",
                "Datagrams the kernel dropped because the receive buffer was full",
                s -> Math.max(0, s.kernelDrops()));
        counter(registry, ch, tags, "salvo.truncated", "datagrams",
                "Received datagrams larger than their buffer, cut", ChannelStats::truncatedDatagrams);
        String failures = "Writes that failed, by kind";
        counter(registry, ch, tags.and("kind", "too_large"), "salvo.write.failures", "writes", failures,
                ChannelStats::tooLargeFailures);
        counter(registry, ch, tags.and("kind", "unreachable"), "salvo.write.failures", "writes", failures,
                ChannelStats::unreachableFailures);
        counter(registry, ch, tags.and("kind", "prohibited"), "salvo.write.failures", "writes", failures,
                ChannelStats::prohibitedFailures);
        counter(registry, ch, tags.and("kind", "refused"), "salvo.write.failures", "writes", failures,
                ChannelStats::refusedFailures);
        counter(registry, ch, tags.and("kind", "offload_refused"), "salvo.write.failures", "writes", failures,
                ChannelStats::offloadRefusedFailures);
        counter(registry, ch, tags.and("kind", "other"), "salvo.write.failures", "writes", failures,
                ChannelStats::otherWriteFailures);
        counter(registry, ch, tags, "salvo.gso.coalesced.sends", "sends",
                "Sends that carried several datagrams coalesced by automatic GSO", ChannelStats::coalescedSends);
        counter(registry, ch, tags, "salvo.gso.coalesced.datagrams", "datagrams",
                "Datagrams sent inside coalesced sends", ChannelStats::coalescedDatagrams);
        Gauge.builder("salvo.writable", ch, c -> c.isWritable() ? 1 : 0).tags(tags)
                .description("1 while the channel's pending bytes allow more writes, else 0").register(registry);
        Gauge.builder("salvo.open", ch, c -> c.isOpen() ? 1 : 0).tags(tags)
                .description("1 while the channel is open, else 0").register(registry);
    }

    private static void counter(MeterRegistry registry, DatagramChannel ch, Tags tags, String name, String unit,
                                String description, ToLongFunction<ChannelStats> value) {
        FunctionCounter.builder(name, ch, c -> value.applyAsLong(c.stats())).tags(tags).baseUnit(unit)
                .description(description).register(registry);
    }
}
