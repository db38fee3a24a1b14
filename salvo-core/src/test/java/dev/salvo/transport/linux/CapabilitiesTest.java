package dev.salvo.transport.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    @Test
    void probeFindsTheCoreFeaturesWorkingOnThisLinuxMachine() {
        Capabilities c = Capabilities.probe();
        assertEquals("epoll", c.transport());
        assertEquals("yes".equals(c.report().get("udp_gso (UDP_SEGMENT)")), c.udpSegment());
        assertTrue(c.sendmmsg());
        assertTrue(c.recvmmsg());
        assertTrue(c.roundTripV4().ok(), c.roundTripV4().describe());
        assertTrue(c.coreOk());
        assertTrue(c.kernel().contains("("), c.kernel());
        assertEquals(Runtime.version().toString(), c.jdk());
    }

    @Test
    void gsoSegmentLimitIsFoundByProbingAndIsThatOfAKnownKernel() {
        Capabilities c = Capabilities.probe();
        if (c.udpSegment()) {
            assertTrue(c.maxSegments() == 64 || c.maxSegments() == 128, "max segments " + c.maxSegments());
        } else {
            assertEquals(0, c.maxSegments());
        }
    }

    @Test
    void optionProbesAgreeWithSettingTheOptionDirectly() {
        Capabilities c = Capabilities.probe();
        assertEquals(Capabilities.optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_UDP, LinuxConstants.UDP_GRO, 1), c.udpGro());
        assertEquals(Capabilities.optionWorks(LinuxConstants.AF_INET, LinuxConstants.SOL_IP, LinuxConstants.IP_PKTINFO, 1), c.pktinfo());
        assertEquals(SystemInfo.probeIoUring(), c.ioUring());
    }

    @Test
    void reportHasOneParsableLinePerCapabilityEndingWithTheCoreVerdict() {
        var report = Capabilities.probe().report();
        assertEquals("ok", report.get("core"));
        assertTrue(report.get("roundtrip_v4").matches("ok, 1 datagram, \\d+ µs"), report.get("roundtrip_v4"));
        assertTrue(report.get("io_uring").equals("yes") || report.get("io_uring").startsWith("no ("));
        // A name, optionally followed by the kernel's own name for it: "udp_gso (UDP_SEGMENT)".
        report.forEach((k, v) -> assertTrue(k.matches("[a-z0-9_]+( \\([A-Z0-9_]+\\))?") && !k.contains(": ")
                && !v.contains("\n"), k + ": " + v));
        assertTrue(Errno.name(Errno.EPERM).equals("EPERM"));
    }
}
