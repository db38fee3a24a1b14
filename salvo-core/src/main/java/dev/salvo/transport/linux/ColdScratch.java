package dev.salvo.transport.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native scratch for cold-path calls (bind, connect, options...): a call state, a
 * sockaddr buffer, a length word and an option value, allocated once per thread.
 */
final class ColdScratch {
    private static final ThreadLocal<ColdScratch> CURRENT = ThreadLocal.withInitial(ColdScratch::new);

    final MemorySegment callState;
    final MemorySegment sockaddr;
    final MemorySegment length;
    final MemorySegment value;

    private ColdScratch() {
        Arena arena = Arena.ofAuto();
        callState = Libc.newCallState(arena);
        sockaddr = arena.allocate(Structs.SOCKADDR_STORAGE);
        length = arena.allocate(8, 8);
        value = arena.allocate(512, 16);
    }

    static ColdScratch get() {
        return CURRENT.get();
    }

    int errno() {
        return Libc.errno(callState);
    }
}
