package dev.salvo.channel;

import dev.salvo.channel.events.KernelDropsEvent;
import dev.salvo.channel.events.OffloadFallbackEvent;
import dev.salvo.channel.events.TruncationEvent;
import dev.salvo.channel.events.WritabilityChangedEvent;
import dev.salvo.channel.events.WriteFailureEvent;
import dev.salvo.write.WriteStats;
import java.net.SocketAddress;

/**
 * Emits Salvo's JFR events. Each method is called only when something happened (a non-zero delta,
 * a failure, a flip), and builds nothing unless a recording wants the event.
 */
final class ChannelEvents {
    private ChannelEvents() {
    }

    /** @return whether a recording wants {@code dev.salvo.KernelDrops}, which costs a system call to detect */
    static boolean kernelDropsWanted() {
        return new KernelDropsEvent().isEnabled();
    }

    static void kernelDrops(SocketAddress channel, long drops, long total) {
        KernelDropsEvent e = new KernelDropsEvent();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.drops = drops;
            e.total = total;
            e.commit();
        }
    }

    static void truncations(SocketAddress channel, long datagrams, long total) {
        TruncationEvent e = new TruncationEvent();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.datagrams = datagrams;
            e.total = total;
            e.commit();
        }
    }

    static void writeFailed(SocketAddress channel, WriteStats.Kind kind, Throwable failure, SocketAddress destination,
                            int count) {
        WriteFailureEvent e = new WriteFailureEvent();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.kind = kind.name();
            e.destination = destination == null ? null : destination.toString();
            e.exception = failure == null ? null : failure.getClass().getName();
            e.message = failure == null ? null : failure.getMessage();
            e.count = count;
            e.commit();
        }
    }

    static void offloadFallback(SocketAddress channel, String kind, long count) {
        OffloadFallbackEvent e = new OffloadFallbackEvent();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.kind = kind;
            e.count = count;
            e.commit();
        }
    }

    static void writabilityChanged(SocketAddress channel, boolean writable) {
        WritabilityChangedEvent e = new WritabilityChangedEvent();
        if (e.shouldCommit()) {
            e.channel = String.valueOf(channel);
            e.writable = writable;
            e.commit();
        }
    }
}
