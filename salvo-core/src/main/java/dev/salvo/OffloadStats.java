package dev.salvo;

/**
 * A snapshot of a channel's UDP offload state and counters ({@link DatagramChannel#offloadStats()}).
 *
 * <p>Offloads start on where the kernel accepted them when the socket was created, and turn
 * themselves off for the rest of the socket's life when the kernel refuses them later (a device
 * that cannot segment, a kernel that rejects an ECN control message); nothing is lost when that
 * happens, the datagrams concerned are sent again without the offload. The counters say how
 * often that happened and how much automatic GSO coalesced.
 *
 * @param gso whether the kernel's GSO ({@code UDP_SEGMENT}) is in use; when {@code false}, datagrams
 *     with a segment size are split into separate datagrams in software
 * @param autoGso whether {@link ChannelOption#GSO_AUTO} is on and effective
 * @param maxSegments the most segments one GSO send may carry (probed; 0 where the transport has no GSO)
 * @param ecn whether ECN codepoints are sent (false after the kernel refused them)
 * @param gsoFallbacks times GSO was turned off because the kernel refused a GSO send ({@code EIO}, {@code EINVAL})
 * @param ecnFallbacks times ECN marking was turned off because the kernel refused it ({@code EINVAL})
 * @param uncoalescedRetries coalesced sends refused with {@code EMSGSIZE} (segment over the path MTU)
 *     and sent again as separate datagrams
 * @param coalescedSends sends that carried several datagrams coalesced by automatic GSO
 * @param coalescedDatagrams datagrams that went out inside those sends
 * @param softwareSplits datagrams with a segment size that were split in software because GSO was off
 */
public record OffloadStats(boolean gso, boolean autoGso, int maxSegments, boolean ecn, long gsoFallbacks,
                           long ecnFallbacks, long uncoalescedRetries, long coalescedSends,
                           long coalescedDatagrams, long softwareSplits) {
    /** The state of a transport without offloads (java.nio, unix-domain sockets). */
    public static final OffloadStats NONE = new OffloadStats(false, false, 0, false, 0, 0, 0, 0, 0, 0);
}
