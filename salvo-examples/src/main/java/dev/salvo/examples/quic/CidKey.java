package dev.salvo.examples.quic;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** A connection ID as a map key; one mutable instance serves as the lookup probe so routing allocates nothing. */
final class CidKey {
    private final byte[] bytes = new byte[20];
    private int length;
    private int hash;

    CidKey set(MemorySegment source, int len) {
        MemorySegment.copy(source, ValueLayout.JAVA_BYTE, 0, bytes, 0, len);
        Arrays.fill(bytes, len, bytes.length, (byte) 0);
        length = len;
        hash = Arrays.hashCode(bytes) * 31 + len;
        return this;
    }

    CidKey copy() {
        CidKey c = new CidKey();
        System.arraycopy(bytes, 0, c.bytes, 0, length);
        c.length = length;
        c.hash = hash;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidKey k && k.length == length && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
