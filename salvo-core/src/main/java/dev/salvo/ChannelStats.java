package dev.salvo;

/**
 * A snapshot of a channel's traffic counters ({@link DatagramChannel#stats()}), readable from any
 * thread without waiting for the channel's event loop.
 *
 * <p>The loop thread alone writes the counters and publishes them with ordered stores, per read
 * batch or per send system call, so a snapshot taken from another thread may lag the loop by the
 * batch in progress, and its components are not read at one instant (a snapshot is not atomic).
 * Each counter only grows. Write failures are counted by the kind of failure, whether the write had
 * a completion or not: a write that fails before it is queued (for example a datagram too large
 * for UDP) counts like one the kernel refused.
 *
 * @param datagramsRead datagrams delivered to the handler (each segment of a GRO message counts)
 * @param bytesRead payload bytes of those datagrams
 * @param kernelDrops datagrams the kernel dropped because the receive buffer was full, as
 *     {@link DatagramChannel#kernelDrops()} reports them when the snapshot is taken; -1 where the
 *     transport cannot tell
 * @param truncatedDatagrams received messages that were larger than their buffer and were cut
 *     (they are still delivered, cut)
 * @param datagramsWritten writes handed to the kernel (a write with a GSO segment size counts once)
 * @param bytesWritten payload bytes of those writes
 * @param tooLargeFailures writes that failed as too large ({@code EMSGSIZE}, or over the UDP limit)
 * @param unreachableFailures writes that failed because no route leads to the destination
 * @param prohibitedFailures writes that failed because a route or firewall forbids the destination
 * @param refusedFailures writes that failed because the connected peer refused them (ICMP port unreachable)
 * @param offloadRefusedFailures writes that failed because the kernel refused their segmentation offload
 * @param otherWriteFailures writes that failed for another reason: the channel closed (or was
 *     closed by an error) before they were sent, not connected, an unsupported address or option...
 * @param coalescedSends sends that carried several datagrams coalesced by automatic GSO, as of the
 *     channel's last write (see {@link OffloadStats#coalescedSends()})
 * @param coalescedDatagrams datagrams that went out inside those sends
 */
public record ChannelStats(long datagramsRead, long bytesRead, long kernelDrops, long truncatedDatagrams,
                           long datagramsWritten, long bytesWritten, long tooLargeFailures,
                           long unreachableFailures, long prohibitedFailures, long refusedFailures,
                           long offloadRefusedFailures, long otherWriteFailures, long coalescedSends,
                           long coalescedDatagrams) {

    /**
     * A snapshot with every counter 0 and the kernel drops unknown (-1): what a channel that cannot
     * count reports.
     */
    public static final ChannelStats EMPTY = new ChannelStats(0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Sums the failure counters.
     *
     * @return the writes that failed, whatever the kind
     */
    public long writeFailures() {
        return tooLargeFailures + unreachableFailures + prohibitedFailures + refusedFailures
                + offloadRefusedFailures + otherWriteFailures;
    }
}
