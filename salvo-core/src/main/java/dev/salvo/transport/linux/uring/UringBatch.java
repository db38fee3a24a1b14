package dev.salvo.transport.linux.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.salvo.read.ReceivedBatch;
import dev.salvo.transport.linux.Cmsg;
import dev.salvo.transport.linux.ControlData;
import dev.salvo.transport.linux.LinuxConstants;
import dev.salvo.transport.linux.SockAddr;
import dev.salvo.transport.linux.Structs;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The read SPI over completed multishot receives: each message is one provided buffer laid out
 * as {@code struct io_uring_recvmsg_out} (name, control and payload lengths, flags), then the
 * name area, the control area and the payload. {@link #add} decodes a buffer's header and control
 * messages into primitive arrays, so the per-message accessors allocate nothing. One per loop,
 * refilled for each read of one socket.
 */
final class UringBatch implements ReceivedBatch {
    /** Most messages one read hands the reader. */
    static final int CAPACITY = 64;
    /** Bytes of the {@code io_uring_recvmsg_out} header. */
    static final int HEADER = 16;
    /** Room for the sender's address in every buffer ({@code sockaddr_storage}). */
    static final int NAME_SLOT = Structs.SOCKADDR_STORAGE_SIZE;
    /** Room for control messages in every buffer. */
    static final int CONTROL_SLOT = Cmsg.RECV_SPACE;
    /** Where the payload starts in every buffer. */
    static final int PAYLOAD = HEADER + NAME_SLOT + CONTROL_SLOT;

    private final int[] bid = new int[CAPACITY];
    private final int[] length = new int[CAPACITY];
    private final int[] msgFlags = new int[CAPACITY];
    private final int[] nameLength = new int[CAPACITY];
    /** Each message's control messages, decoded in place (one reused holder per slot). */
    private final ControlData[] control = new ControlData[CAPACITY];
    private BufferRing ring;
    private MemorySegment buffers;
    private int count;

    UringBatch() {
        for (int i = 0; i < CAPACITY; i++) {
            control[i] = new ControlData();
        }
    }

    /** Empties the batch for a read of the socket owning {@code from}. */
    void reset(BufferRing from) {
        ring = from;
        buffers = from.buffers();
        count = 0;
    }

    /** @return whether another message fits */
    boolean hasRoom() {
        return count < CAPACITY;
    }

    /**
     * Decodes one completed buffer.
     *
     * @param bufferId the buffer the kernel chose
     * @param used the completion's result: bytes the kernel wrote into the buffer
     */
    void add(int bufferId, int used) {
        int i = count++;
        long base = (long) bufferId * ring.stride;
        bid[i] = bufferId;
        int names = buffers.get(JAVA_INT, base);
        int controls = buffers.get(JAVA_INT, base + 4);
        int payload = buffers.get(JAVA_INT, base + 8);
        msgFlags[i] = buffers.get(JAVA_INT, base + 12);
        nameLength[i] = Math.min(names, NAME_SLOT);
        length[i] = Math.max(0, Math.min(payload, Math.min(used, ring.bufferSize) - PAYLOAD));
        Cmsg.decode(buffers, base + HEADER + NAME_SLOT, Math.min(controls, CONTROL_SLOT), control[i]);
    }

    /** @return the buffer holding message {@code i}, to recycle once delivered */
    int bufferId(int i) {
        return bid[i];
    }

    private long name(int i) {
        return (long) bid[i] * ring.stride + HEADER;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int length(int i) {
        return length[i];
    }

    @Override
    public boolean isTruncated(int i) {
        return (msgFlags[i] & LinuxConstants.MSG_TRUNC) != 0;
    }

    @Override
    public int groSegmentSize(int i) {
        return control[i].groSegmentSize;
    }

    @Override
    public int ecn(int i) {
        return control[i].ecn();
    }

    @Override
    public boolean hasDestination(int i) {
        return control[i].pktinfoFamily != 0;
    }

    @Override
    public InetAddress destination(int i) {
        return control[i].pktinfoDestination();
    }

    @Override
    public boolean senderIsInet4(int i) {
        return nameLength[i] >= 2 && SockAddr.isInet4(buffers, name(i));
    }

    @Override
    public int senderInet4(int i) {
        return SockAddr.inet4(buffers, name(i));
    }

    @Override
    public int senderPort(int i) {
        return SockAddr.port(buffers, name(i));
    }

    @Override
    public SocketAddress sender(int i) {
        return SockAddr.decode(buffers, name(i), nameLength[i]);
    }

    @Override
    public ByteBuffer payloadBuffer(int i) {
        return ring.view(bid[i]);
    }

    @Override
    public ByteBuffer writablePayloadBuffer(int i) {
        return ring.writableView(bid[i]);
    }
}
