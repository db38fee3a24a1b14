package dev.salvo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.salvo.transport.linux.Capabilities;
import dev.salvo.transport.linux.LinuxConstants;
import dev.salvo.transport.linux.Sockets;
import dev.salvo.transport.linux.SystemInfo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    private static Map<String, String> run(int[] exit) {
        StringWriter text = new StringWriter();
        var cli = SalvoCommand.commandLine();
        cli.setOut(new PrintWriter(text));
        exit[0] = cli.execute("doctor");
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : text.toString().split("\n")) {
            int colon = line.indexOf(": ");
            assertTrue(colon > 0, "not a 'name: value' line: " + line);
            lines.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return lines;
    }

    private static boolean optionWorks(int family, int level, int option) {
        int fd = -1;
        try {
            fd = Sockets.openDatagram(family);
            Sockets.setInt(fd, level, option, 1);
            return true;
        } catch (Exception e) {
            return false;
        } finally {
            Sockets.closeQuietly(fd);
        }
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    @Test
    void doctorPrintsCapabilityLinesThatMatchDirectProbesAndExitsZero() throws Exception {
        int[] exit = new int[1];
        Map<String, String> lines = run(exit);
        assertEquals(0, exit[0], lines.toString());
        assertEquals("epoll", lines.get("transport"), "the name TransportType, -Dsalvo.transport and soak use");
        assertTrue(lines.get("kernel").startsWith(SystemInfo.uname().release()), lines.get("kernel"));
        assertEquals(Runtime.version() + " (" + System.getProperty("java.home") + ")", lines.get("jdk"));
        assertEquals("yes", lines.get("sendmmsg"));
        assertEquals("yes", lines.get("recvmmsg"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_UDP, LinuxConstants.UDP_SEGMENT)), lines.get("udp_gso (UDP_SEGMENT)"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_UDP, LinuxConstants.UDP_GRO)), lines.get("udp_gro"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_IP, LinuxConstants.IP_RECVTOS)), lines.get("ip_recvtos"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO)), lines.get("ip_pktinfo"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_RXQ_OVFL)), lines.get("so_rxq_ovfl"));
        assertEquals(yes(optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_SOCKET, LinuxConstants.SO_REUSEPORT)), lines.get("so_reuseport"));
        assertEquals(SystemInfo.probeIoUring() == 0, lines.get("io_uring").equals("yes"));
        assertEquals(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).strip(), lines.get("rmem_max"));
        assertEquals(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_max")).get(0).strip(), lines.get("wmem_max"));
        assertTrue(Long.parseLong(lines.get("rmem_max")) >= 4096, "rmem_max " + lines.get("rmem_max"));
        assertTrue(lines.get("roundtrip_v4").matches("ok, 1 datagram, \\d+ µs"), lines.get("roundtrip_v4"));
        // The Linux probe's lines, plus the io_uring transport's findings after its "io_uring" line.
        assertEquals(Capabilities.probe().report().keySet(), lines.keySet().stream()
                .filter(k -> !k.startsWith("io_uring ")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(SystemInfo.probeIoUring() == 0, "available".equals(lines.get("io_uring transport")),
                lines.get("io_uring transport"));
        assertEquals("ok", lines.get("core"));
    }
}
