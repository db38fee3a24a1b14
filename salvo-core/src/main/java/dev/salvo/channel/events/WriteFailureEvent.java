package dev.salvo.channel.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A write that failed: refused by the kernel or before the system call, or failed when the channel closed.
 */
@Name("dev.salvo.WriteFailure")
@Label("Write Failure")
@Category({"Salvo", "Send"})
@Description("A write that failed: refused by the kernel or before the system call, or failed when the channel closed.")
@StackTrace(false)
public final class WriteFailureEvent extends Event {
    /** The channel's local address. */
    @Label("Channel")
    @Description("The channel's local address")
    public String channel;

    /** How the failure is counted: TOO_LARGE, UNREACHABLE, PROHIBITED, REFUSED, OFFLOAD_REFUSED or OTHER. */
    @Label("Kind")
    @Description("TOO_LARGE, UNREACHABLE, PROHIBITED, REFUSED, OFFLOAD_REFUSED or OTHER")
    public String kind;

    /** Where the (first) write was going. */
    @Label("Destination")
    @Description("Where the (first) write was going")
    public String destination;

    /** The exception class its completion received. */
    @Label("Exception")
    @Description("The exception class the completion received")
    public String exception;

    /** The exception message. */
    @Label("Message")
    @Description("The exception message")
    public String message;

    /** How many writes failed so (more than 1 when a close failed the queue). */
    @Label("Count")
    @Description("Writes failed with this failure (more than 1 when a close failed the queue)")
    public long count;

    /** Creates an event, not yet begun. */
    public WriteFailureEvent() {
    }
}
