package dev.salvo.write;

/** Random access to the flushed datagrams at the head of the queue, for building one vector write. */
public interface WriteBatch {
    /**
     * @param index 0 for the head of the queue
     * @return the datagram at that position; valid only during the write call
     */
    PendingWrite get(int index);
}
