package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The kernel refused a UDP offload and Salvo fell back: GSO off, ECN off, or a coalesced send sent again uncoalesced.
 */
@Name("dev.salvo.OffloadFallback")
@Label("Offload Fallback")
@Category({"Salvo", "Send"})
@Description("The kernel refused a UDP offload and Salvo fell back: GSO off, ECN off, or a coalesced send sent again uncoalesced.")
@StackTrace(false)
public final class OffloadFallbackEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** GSO_OFF, ECN_OFF or UNCOALESCED_RETRY. */
    @Label("Kind")
    @Description("GSO_OFF, ECN_OFF or UNCOALESCED_RETRY")
    public String kind;

    /** Fallbacks of this kind since the channel's previous write. */
    @Label("Count")
    @Description("Fallbacks of this kind since the previous write")
    public long count;

    /** Creates an event, not yet begun. */
    public OffloadFallbackEvent() {
    }
}
