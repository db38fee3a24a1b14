package dev.salvo.cli;

import dev.salvo.SystemReport;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code salvo doctor}: prints what this machine supports, one {@code name: value} line each, as
 * found by {@link SystemReport#probe()}. Exits 0 when the core features work (sockets,
 * sendmmsg, recvmmsg, an IPv4 loopback round trip), else 1.
 */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Probe this machine: kernel, JDK, batched syscalls, UDP offloads, IPv6, io_uring, buffer limits, loopback round trips.")
public final class DoctorCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        SystemReport capabilities = SystemReport.probe();
        PrintWriter out = spec.commandLine().getOut();
        for (Map.Entry<String, String> line : capabilities.findings().entrySet()) {
            out.println(line.getKey() + ": " + line.getValue());
        }
        out.flush();
        return capabilities.coreFeaturesWork() ? 0 : 1;
    }
}
