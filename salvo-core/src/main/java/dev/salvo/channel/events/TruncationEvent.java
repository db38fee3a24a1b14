package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Received messages larger than their buffer, cut, in one read batch.
 */
@Name("dev.salvo.Truncation")
@Label("Truncated Datagrams")
@Category({"Salvo", "Receive"})
@Description("Received messages larger than their buffer, cut, in one read batch.")
@StackTrace(false)
public final class TruncationEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** Messages cut in this read batch. */
    @Label("Datagrams")
    @Description("Messages cut in this read batch")
    public long datagrams;

    /** Messages cut on this channel so far. */
    @Label("Total")
    @Description("Messages cut on this channel so far")
    public long total;

    /** Creates an event, not yet begun. */
    public TruncationEvent() {
    }
}
