package dev.salvo;

import java.io.IOException;

/**
 * The channel is closed (or closing): the operation, or a write still queued when it closed,
 * did not happen. When the close was caused by an error, that error is the cause.
 */
public final class ChannelClosedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** A channel closed by the user or by group shutdown. */
    public ChannelClosedException() {
        super("channel closed");
    }

    /**
     * Makes the exception with a message saying what was refused.
     *
     * @param message what was refused, e.g. {@code "write after close"}
     */
    public ChannelClosedException(String message) {
        super(message);
    }

    /**
     * Makes the exception for a channel that an error closed.
     *
     * @param message what was refused
     * @param cause the error that closed the channel
     */
    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
