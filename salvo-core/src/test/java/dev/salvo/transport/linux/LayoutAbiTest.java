package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves every struct size, field offset, cmsg macro and constant of the transport against the C
 * ABI: compiled from {@code src/test/c/abi_probe.c} with gcc when it is installed, and against
 * values recorded from that probe otherwise (and always, so the fallback is exercised too).
 */
class LayoutAbiTest {

    private static final List<MemoryLayout> STRUCTS = List.of(
            Structs.IOVEC, Structs.MSGHDR, Structs.MMSGHDR, Structs.SOCKADDR_IN, Structs.SOCKADDR_IN6,
            Structs.SOCKADDR_UN, Structs.SOCKADDR_STORAGE, Structs.EPOLL_EVENT, Structs.CMSGHDR,
            Structs.IN_PKTINFO, Structs.IN6_PKTINFO, Structs.IP_MREQN, Structs.IPV6_MREQ,
            Structs.IP_MREQ_SOURCE, Structs.GROUP_SOURCE_REQ, Structs.UTSNAME, Structs.IO_URING_PARAMS);

    /** The same keys abi_probe.c prints, computed from the Java side. */
    static Map<String, Long> javaValues() throws IllegalAccessException {
        Map<String, Long> m = new TreeMap<>();
        for (MemoryLayout layout : STRUCTS) {
            String name = layout.name().orElseThrow();
            m.put("sizeof." + name, layout.byteSize());
            for (MemoryLayout member : ((GroupLayout) layout).memberLayouts()) {
                if (member instanceof PaddingLayout || member.name().isEmpty()) {
                    continue;
                }
                String field = member.name().get();
                m.put("offsetof." + name + "." + field, Structs.offset(layout, field));
            }
        }
        m.put("cmsg.CMSG_LEN.0", (long) Cmsg.len(0));
        m.put("cmsg.CMSG_LEN.20", (long) Cmsg.len(20));
        for (int n : new int[] {1, 2, 4, 12, 20}) {
            m.put("cmsg.CMSG_SPACE." + n, (long) Cmsg.space(n));
        }
        m.put("cmsg.CMSG_DATA", Cmsg.dataOffset(0));
        for (Field f : LinuxConstants.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                long v = f.getType() == int.class ? f.getInt(null) & 0xFFFF_FFFFL : f.getLong(null);
                m.put("const." + f.getName(), v);
            }
        }
        m.put("const.SYS_io_uring_setup", LinuxConstants.SYS_IO_URING_SETUP);
        return m;
    }

    static Map<String, Long> parse(String text) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split(" ");
            m.put(kv[0], Long.parseLong(kv[1]));
        }
        return m;
    }

    private static void assertMatches(Map<String, Long> c, String source) throws IllegalAccessException {
        Map<String, Long> java = javaValues();
        assertTrue(c.size() >= 120, source + " printed only " + c.size() + " values");
        for (Map.Entry<String, Long> e : c.entrySet()) {
            assertTrue(java.containsKey(e.getKey()), "Java side lacks " + e.getKey() + " (" + source + ")");
            assertEquals(e.getValue(), java.get(e.getKey()), e.getKey() + " differs from " + source);
        }
    }

    @Test
    void layoutsMatchTheCompiledCProbe(@TempDir Path dir) throws Exception {
        assumeTrue(hasGcc(), "gcc is not installed; the recorded values are checked instead");
        Path source = Path.of("src/test/c/abi_probe.c");
        assumeTrue(Files.exists(source), "probe source not found from " + Path.of("").toAbsolutePath());
        Path exe = dir.resolve("abi_probe");
        run(List.of("gcc", "-O0", "-o", exe.toString(), source.toString()));
        String out = run(List.of(exe.toString()));
        assertMatches(parse(out), "the compiled C probe");
    }

    @Test
    void layoutsMatchTheRecordedValuesForThisArchitecture() throws Exception {
        String arch = Structs.EPOLL_PACKED ? "x86_64" : "aarch64";
        try (InputStream in = LayoutAbiTest.class.getResourceAsStream("abi-" + arch + ".txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertMatches(parse(text), "the values recorded for " + arch);
        }
    }

    @Test
    void epollEventIsPackedTwelveBytesOnX86() {
        if (Structs.EPOLL_PACKED) {
            assertEquals(12, Structs.EPOLL_EVENT_SIZE);
            assertEquals(4, Structs.EPOLL_DATA);
        } else {
            assertEquals(16, Structs.EPOLL_EVENT_SIZE);
            assertEquals(8, Structs.EPOLL_DATA);
        }
    }

    private static boolean hasGcc() {
        try {
            run(List.of("gcc", "--version"));
            return true;
        } catch (IOException | InterruptedException | AssertionError e) {
            return false;
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " timed out");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(command + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }
}
