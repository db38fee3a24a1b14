package dev.salvo.transport.linux;

/**
 * The limits a datagram with a GSO segment size must meet, checked without building an exception:
 * by the socket before a write is queued (so that only that write fails, with words naming the
 * limit) and by a managed writer before the system call.
 */
final class SegmentationLimits {
    private SegmentationLimits() {
    }

    /** Largest UDP payload in one IPv4 datagram (65,535 − 20 − 8). */
    static final int MAX_PAYLOAD_V4 = 65_507;
    /** Largest UDP payload in one IPv6 datagram without jumbograms (65,535 − 8). */
    static final int MAX_PAYLOAD_V6 = 65_527;

    /** What is wrong with a GSO datagram, if anything. */
    enum Problem {
        NONE,
        SEGMENT_LARGER_THAN_PAYLOAD,
        TOO_MANY_BYTES,
        TOO_MANY_SEGMENTS
    }

    /**
     * @param length the payload length
     * @param segmentSize its segment size, &gt; 0
     * @param toIpv4 whether it goes to an IPv4 (or IPv4-mapped) destination
     * @param maxSegments the most segments allowed
     * @return {@link Problem#NONE} or the first limit it breaks
     */
    static Problem check(int length, int segmentSize, boolean toIpv4, int maxSegments) {
        if (segmentSize > length) {
            return Problem.SEGMENT_LARGER_THAN_PAYLOAD;
        }
        if (length > maxPayload(toIpv4)) {
            return Problem.TOO_MANY_BYTES;
        }
        if ((length + segmentSize - 1) / segmentSize > maxSegments) {
            return Problem.TOO_MANY_SEGMENTS;
        }
        return Problem.NONE;
    }

    /** @return the most UDP payload bytes one datagram may carry towards that family */
    static int maxPayload(boolean toIpv4) {
        return toIpv4 ? MAX_PAYLOAD_V4 : MAX_PAYLOAD_V6;
    }

    /** @return the words for {@code problem}, naming the limit */
    static String describe(Problem problem, int length, int segmentSize, boolean toIpv4, int maxSegments) {
        return switch (problem) {
            case SEGMENT_LARGER_THAN_PAYLOAD -> "GSO segment size " + segmentSize
                    + " is larger than the payload of " + length + " bytes";
            case TOO_MANY_BYTES -> "GSO payload of " + length + " bytes exceeds the UDP limit of "
                    + (toIpv4 ? MAX_PAYLOAD_V4 + " bytes over IPv4" : MAX_PAYLOAD_V6 + " bytes over IPv6");
            case TOO_MANY_SEGMENTS -> "GSO payload of " + length + " bytes in segments of " + segmentSize
                    + " makes " + ((length + segmentSize - 1) / segmentSize) + " segments; the limit is "
                    + maxSegments + " per send";
            case NONE -> "GSO datagram within limits";
        };
    }
}
