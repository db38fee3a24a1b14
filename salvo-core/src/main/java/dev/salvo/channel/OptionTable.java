package dev.salvo.channel;

import dev.salvo.ChannelOption;
import dev.salvo.WaterMark;
import java.io.IOException;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Where each option lives: a few belong to the channel itself (read batching, the write queue's
 * spin count, water marks and bound, the channel's GSO segment size); every other one is the socket's, which the transport applies or
 * refuses. Values arrive validated ({@link ChannelOption#validate}).
 */
final class OptionTable {
    /** One channel-level option: how to set and read it on a channel's core. */
    private record Entry(BiConsumer<ChannelCore, Object> set, Function<ChannelCore, Object> get) {
    }

    private static final Map<ChannelOption<?>, Entry> CHANNEL_LEVEL = Map.of(
            ChannelOption.READ_BATCH_SIZE, new Entry(
                    (c, v) -> c.reads().setBatchSize((Integer) v), c -> c.reads().batchSize()),
            ChannelOption.READ_BUDGET, new Entry(
                    (c, v) -> c.reads().setBudget((Integer) v), c -> c.reads().budget()),
            ChannelOption.AUTO_READ, new Entry(
                    (c, v) -> c.setAutoRead((Boolean) v), c -> c.reads().isAutoRead()),
            ChannelOption.WRITE_SPIN_COUNT, new Entry(
                    (c, v) -> c.writes().setWriteSpinCount((Integer) v), c -> c.writes().writeSpinCount()),
            ChannelOption.WRITE_BUFFER_WATER_MARK, new Entry(
                    (c, v) -> c.writes().setWaterMarks(((WaterMark) v).low(), ((WaterMark) v).high()),
                    c -> new WaterMark(c.writes().lowWaterMark(), c.writes().highWaterMark())),
            ChannelOption.MAX_PENDING_BYTES, new Entry(
                    (c, v) -> c.writes().setMaxPendingBytes((Long) v), c -> c.writes().maxPendingBytes()),
            ChannelOption.GSO_SEGMENT_SIZE, new Entry(
                    (c, v) -> c.setDefaultSegmentSize((Integer) v), c -> c.defaultSegmentSize()));

    private OptionTable() {
    }

    /** Applies an option on the loop thread. */
    static <T> void set(ChannelCore core, ChannelOption<T> option, T value) throws IOException {
        Entry e = CHANNEL_LEVEL.get(option);
        if (e != null) {
            e.set().accept(core, value);
        } else {
            core.socket().setOption(option, value);
        }
    }

    /** Reads an option on the loop thread. */
    static <T> T get(ChannelCore core, ChannelOption<T> option) throws IOException {
        Entry e = CHANNEL_LEVEL.get(option);
        return e != null ? option.type().cast(e.get().apply(core)) : core.socket().getOption(option);
    }
}
