package dev.salvo.loop;

/** What an event loop needs from a channel registered with it; called on the loop thread only. */
public interface LoopChannel {
    /**
     * The poller reported the channel's socket ready.
     *
     * @param readable there is something to read
     * @param writable there is room to write
     * @param error a pending error or hang-up
     */
    void onReady(boolean readable, boolean writable, boolean error);

    /** The loop is shutting down: close, failing pending writes with a channel-closed error. */
    void closeForShutdown();
}
