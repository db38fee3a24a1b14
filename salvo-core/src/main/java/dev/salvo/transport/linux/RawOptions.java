package dev.salvo.transport.linux;

import dev.salvo.ChannelOption;
import dev.salvo.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link ChannelOption#raw} and {@link ChannelOption#rawBytes}: options passed to
 * {@code setsockopt}/{@code getsockopt} by level and number, unchecked by Salvo, so the kernel's
 * refusal (its errno in a {@link NativeIOException}) is the answer. Configuration calls: a byte
 * value is copied through a confined arena per call.
 */
final class RawOptions {
    private RawOptions() {
    }

    /** Sets a raw option; {@code value} is an {@code Integer} or a {@code byte[]} as its type says. */
    static void set(int fd, ChannelOption<?> option, Object value) throws NativeIOException {
        switch (value) {
            case Integer i -> Sockets.setInt(fd, option.rawLevel(), option.rawName(), i);
            case byte[] bytes -> {
                try (Arena arena = Arena.ofConfined()) {
                    // setsockopt rejects a zero-length buffer for most options by itself; give it one byte of room.
                    MemorySegment native_ = arena.allocate(Math.max(1, bytes.length));
                    MemorySegment.copy(bytes, 0, native_, ValueLayout.JAVA_BYTE, 0, bytes.length);
                    Sockets.setOption(fd, option.rawLevel(), option.rawName(), native_.asSlice(0, bytes.length));
                }
            }
            default -> throw new IllegalArgumentException(option + " takes an Integer or a byte[]");
        }
    }

    /** @return the option's value as the kernel reports it: an {@code Integer}, or exactly the bytes it gave */
    static Object get(int fd, ChannelOption<?> option) throws NativeIOException {
        if (option.type() == Integer.class) {
            return Sockets.getInt(fd, option.rawLevel(), option.rawName());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(option.rawMaxLength());
            int length = Sockets.getOption(fd, option.rawLevel(), option.rawName(), out);
            return out.asSlice(0, Math.min(length, option.rawMaxLength())).toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
