package dev.salvo.transport.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What {@link Cmsg#decode} found in one control buffer: a mutable holder reused for every
 * datagram, so that decoding allocates nothing. Fields hold "absent" markers when the message was
 * not present.
 */
public final class ControlData {
    /** The IPv4 TOS byte, or -1. */
    public int tos;
    /** The IPv6 traffic class, or -1. */
    public int trafficClass;
    /** The GRO segment size (stride), or 0. */
    public int groSegmentSize;
    /** The UDP_SEGMENT value (seen when decoding what a sender encoded), or 0. */
    public int segmentSize;
    /** {@code AF_INET} or {@code AF_INET6} when packet info was present, else 0. */
    public int pktinfoFamily;
    /** The interface index from packet info. */
    public int pktinfoIfindex;
    /** IP_PKTINFO {@code ipi_spec_dst} as an int. */
    public int pktinfoSpecDst;
    /** IP_PKTINFO {@code ipi_addr} (the header destination) as an int. */
    public int pktinfoAddr4;
    /** IPV6_PKTINFO {@code ipi6_addr}. */
    public final byte[] pktinfoAddr6 = new byte[16];
    /** The {@code SCM_TIMESTAMPNS} receive time in nanoseconds since the epoch, or 0 when absent. */
    public long timestampNanos;
    /** Where the pktinfo data started in the decoded segment, or -1. */
    public long pktinfoOffset;

    /** Creates an empty holder. */
    public ControlData() {
        reset();
    }

    /** Marks every field absent. */
    public void reset() {
        tos = -1;
        trafficClass = -1;
        groSegmentSize = 0;
        segmentSize = 0;
        pktinfoFamily = 0;
        pktinfoIfindex = 0;
        pktinfoSpecDst = 0;
        pktinfoAddr4 = 0;
        pktinfoOffset = -1;
        timestampNanos = 0;
    }

    /** @return the ECN codepoint from TOS or traffic class, or -1 when neither arrived */
    public int ecn() {
        if (tos >= 0) {
            return tos & 0b11;
        }
        return trafficClass >= 0 ? trafficClass & 0b11 : -1;
    }

    /** @return the destination address from packet info (allocates), or {@code null} */
    public InetAddress pktinfoDestination() {
        try {
            return switch (pktinfoFamily) {
                case LinuxConstants.AF_INET -> InetAddress.getByAddress(new byte[] {
                    (byte) (pktinfoAddr4 >>> 24), (byte) (pktinfoAddr4 >>> 16), (byte) (pktinfoAddr4 >>> 8), (byte) pktinfoAddr4});
                case LinuxConstants.AF_INET6 -> InetAddress.getByAddress(pktinfoAddr6.clone());
                default -> null;
            };
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
