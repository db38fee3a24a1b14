package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Datagrams the kernel dropped for a full receive buffer (SO_RXQ_OVFL), seen since the channel's previous read batch.
 */
@Name("dev.salvo.KernelDrops")
@Label("Kernel Drops")
@Category({"Salvo", "Receive"})
@Description("Datagrams the kernel dropped for a full receive buffer (SO_RXQ_OVFL), seen since the channel's previous read batch.")
@StackTrace(false)
public final class KernelDropsEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** Datagrams dropped since the previous read batch that saw drops. */
    @Label("Drops")
    @Description("Datagrams dropped since the previous batch")
    public long drops;

    /** The socket's drop counter now. */
    @Label("Total")
    @Description("The socket's drop counter after this batch")
    public long total;

    /** Creates an event, not yet begun. */
    public KernelDropsEvent() {
    }
}
