package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Datagrams the kernel dropped for a full receive buffer (the socket's drop counter), seen since the channel's previous read event that reported drops.
 */
@Name("dev.salvo.KernelDrops")
@Label("Kernel Drops")
@Category({"Salvo", "Receive"})
@Description("Datagrams the kernel dropped for a full receive buffer (the socket's drop counter), seen since the channel's previous read event that reported drops.")
@StackTrace(false)
public final class KernelDropsEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** Datagrams dropped since the previous read event that reported drops. */
    @Label("Drops")
    @Description("Datagrams dropped since the previous event")
    public long drops;

    /** The socket's drop counter now. */
    @Label("Total")
    @Description("The socket's drop counter after this read event")
    public long total;

    /** Creates an event, not yet begun. */
    public KernelDropsEvent() {
    }
}
