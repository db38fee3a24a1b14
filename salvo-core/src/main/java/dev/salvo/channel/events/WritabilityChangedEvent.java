package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The channel's pending bytes crossed a water mark: unwritable above the high one, writable again below the low one.
 */
@Name("dev.salvo.WritabilityChanged")
@Label("Writability Changed")
@Category({"Salvo", "Send"})
@Description("The channel's pending bytes crossed a water mark: unwritable above the high one, writable again below the low one.")
@StackTrace(false)
public final class WritabilityChangedEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** Whether the channel is writable now. */
    @Label("Writable")
    @Description("Whether the channel is writable now")
    public boolean writable;

    /** Creates an event, not yet begun. */
    public WritabilityChangedEvent() {
    }
}
