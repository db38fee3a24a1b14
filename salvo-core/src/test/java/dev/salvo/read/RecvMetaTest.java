package dev.salvo.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.Ecn;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RecvMetaTest {

    @Test
    void aMessageDecodesIntoOneFieldPerFeature() throws Exception {
        InetAddress local = InetAddress.getByName("127.0.0.3");
        FakeBatch batch = new FakeBatch();
        FakeBatch.Message m = batch.add(1000).gro(300).ecn(0b10).destination(local).v4Sender(0x7F000001, 53);
        m.truncated = true;
        SenderCache cache = new SenderCache();

        RecvMeta meta = new RecvMeta().decode(batch, 0, cache, true, true);

        assertSame(cache.v4(0x7F000001, 53), meta.sender());
        assertEquals(1000, meta.length());
        assertEquals(300, meta.stride());
        assertEquals(4, meta.segments());
        assertEquals(Ecn.ECT_0, meta.ecn());
        assertEquals(local, meta.destination());
        assertTrue(meta.truncated());
    }

    @Test
    void segmentsIsOneWithoutGroOrWhenTheStrideCoversTheMessage() {
        FakeBatch batch = new FakeBatch();
        batch.add(100);
        batch.add(100).gro(100);
        batch.add(100).gro(-1);
        batch.add(900).gro(300);
        RecvMeta meta = new RecvMeta();
        assertEquals(1, meta.decode(batch, 0, new SenderCache(), false, false).segments());
        assertEquals(1, meta.decode(batch, 1, new SenderCache(), false, false).segments());
        assertEquals(0, meta.decode(batch, 2, new SenderCache(), false, false).stride(), "a bogus stride reads as none");
        assertEquals(3, meta.decode(batch, 3, new SenderCache(), false, false).segments(), "no short segment");
        assertFalse(meta.truncated());
        assertNull(meta.ecn());
        assertNull(meta.destination());
    }
}
