package dev.salvo.write;

/**
 * Told when the pending bytes of a channel cross a water mark: above the high mark the channel
 * becomes unwritable, below the low mark (or when the queue empties) writable again.
 *
 * <p>Called on the channel's event loop, exactly once per transition, so the values alternate
 * ({@code false}, {@code true}, {@code false}, …) and never repeat. The call is made after the
 * completions that were due before the transition, never from inside a system call.
 */
@FunctionalInterface
public interface WritabilityListener {
    /**
     * @param writable {@code true} when the channel just became writable again, {@code false}
     *     when it just became unwritable
     */
    void writabilityChanged(boolean writable);
}
