package dev.salvo;

/**
 * Explicit Congestion Notification codepoints (RFC 3168), the two low bits of the IPv4 TOS byte
 * or the IPv6 traffic class.
 */
public enum Ecn {
    /** Not ECN-capable transport (0b00). */
    NOT_ECT(0b00),
    /** ECN-capable transport, ECT(1) (0b01). */
    ECT_1(0b01),
    /** ECN-capable transport, ECT(0) (0b10). */
    ECT_0(0b10),
    /** Congestion experienced (0b11). */
    CE(0b11);

    private static final Ecn[] BY_BITS = {NOT_ECT, ECT_1, ECT_0, CE};

    private final int bits;

    Ecn(int bits) {
        this.bits = bits;
    }

    /**
     * Returns the codepoint's value.
     *
     * @return the two-bit codepoint, 0 to 3
     */
    public int bits() {
        return bits;
    }

    /**
     * Reads the codepoint from a TOS byte or traffic class.
     *
     * @param tos a TOS byte or traffic class; only its two low bits are read
     * @return the codepoint those bits carry
     */
    public static Ecn fromTos(int tos) {
        return BY_BITS[tos & 0b11];
    }
}
