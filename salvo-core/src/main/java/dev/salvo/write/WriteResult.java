package dev.salvo.write;

import java.util.Objects;

/**
 * What one {@link PendingDatagramWritesManager#write(DatagramWriter)} call achieved, and
 * therefore what the channel must do next.
 *
 * <p>The non-fatal results are shared singletons ({@link #ALL_WRITTEN}, {@link #WOULD_BLOCK},
 * {@link #SPIN_EXHAUSTED}, {@link #ALREADY_WRITING}), so a write attempt allocates nothing; only
 * {@link Fatal} carries data.
 */
public sealed interface WriteResult
        permits WriteResult.AllWritten, WriteResult.WouldBlock, WriteResult.SpinExhausted,
                WriteResult.AlreadyWriting, WriteResult.Fatal {

    /** The shared {@link AllWritten}. */
    WriteResult ALL_WRITTEN = new AllWritten();
    /** The shared {@link WouldBlock}. */
    WriteResult WOULD_BLOCK = new WouldBlock();
    /** The shared {@link SpinExhausted}. */
    WriteResult SPIN_EXHAUSTED = new SpinExhausted();
    /** The shared {@link AlreadyWriting}. */
    WriteResult ALREADY_WRITING = new AlreadyWriting();

    /**
     * No flushed write is left (unflushed ones may be): stop waiting for {@code EPOLLOUT}. Also
     * the answer on a closed manager, which has nothing left to send.
     */
    record AllWritten() implements WriteResult {
    }

    /**
     * The kernel said {@code EAGAIN}: everything is kept as it was; register for {@code EPOLLOUT}
     * and call {@code write} again when the socket is writable.
     */
    record WouldBlock() implements WriteResult {
    }

    /**
     * The write spin count was used up while flushed writes are left: give other channels a turn
     * and call {@code write} again soon (schedule a task, or keep {@code EPOLLOUT}).
     */
    record SpinExhausted() implements WriteResult {
    }

    /**
     * {@code write} was called from a completion or listener while a {@code write} further up the
     * same stack is running. Nothing was done: the outer call goes on sending (it re-checks the
     * queue after every completion it delivers) and its own result is the one that counts.
     */
    record AlreadyWriting() implements WriteResult {
    }

    /**
     * The kernel reported an error that the channel cannot survive. Every queued write has already
     * been failed, in queue order, with a {@link dev.salvo.ChannelClosedException} whose cause is
     * {@link #cause()}, and the manager is closed: the channel must close now.
     *
     * @param cause the failure, a {@link dev.salvo.NativeIOException} naming {@code sendmsg} or
     *     {@code sendmmsg} and the errno
     */
    record Fatal(Throwable cause) implements WriteResult {
        /** @param cause the failure; never {@code null} */
        public Fatal {
            Objects.requireNonNull(cause, "cause");
        }
    }
}
