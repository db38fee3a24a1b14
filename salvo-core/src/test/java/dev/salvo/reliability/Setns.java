package dev.salvo.reliability;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test-only binding of {@code setns(2)}: moves the calling thread into a named network namespace.
 * A socket belongs to the namespace of the thread that created it, so every socket a loop opens
 * after this call lives inside the namespace.
 */
final class Setns {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = link("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = link("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Setns() {
    }

    private static MethodHandle link(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow();
        return LINKER.downcallHandle(symbol, descriptor, ERRNO);
    }

    /**
     * Moves the calling thread into the network namespace mounted at {@code /var/run/netns/NAME}.
     *
     * @param name the namespace's name as given to {@code ip netns add}
     * @throws IllegalStateException with the errno when the kernel refuses
     */
    static void enterNetworkNamespace(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment path = arena.allocateFrom("/var/run/netns/" + name);
            int fd = (int) OPEN.invokeExact(state, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("open /var/run/netns/" + name + ": errno " + errno(state));
            }
            int rc = (int) SETNS.invokeExact(state, fd, CLONE_NEWNET);
            int err = errno(state);
            int ignored = (int) CLOSE.invokeExact(state, fd);
            if (rc != 0) {
                throw new IllegalStateException("setns(" + name + ", CLONE_NEWNET): errno " + err);
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("setns binding failed", t);
        }
    }

    private static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }
}
