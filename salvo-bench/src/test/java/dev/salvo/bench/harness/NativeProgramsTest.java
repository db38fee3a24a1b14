package dev.salvo.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeProgramsTest {

    @Test
    void programsAreCompiledOnceIntoTheCacheAndReused(@TempDir Path cache) throws Exception {
        assumeTrue(Gcc.present(), "no gcc on this machine");

        Path first = NativePrograms.in(cache).program("salvo_bench_recv").orElseThrow();
        FileTime built = Files.getLastModifiedTime(first);
        Path again = NativePrograms.in(cache).program("salvo_bench_recv").orElseThrow();

        assertTrue(Files.isExecutable(first));
        assertTrue(first.startsWith(cache));
        assertEquals(first, again);
        assertEquals(built, Files.getLastModifiedTime(again), "the second harness reused the binary");
    }

    @Test
    void aMissingSourceMakesTheCContendersUnavailableWithAReason(@TempDir Path cache) {
        NativePrograms programs = NativePrograms.in(cache);

        assertTrue(programs.program("no_such_program").isEmpty());
        assertTrue(programs.unavailableReason().contains("no_such_program"), programs.unavailableReason());
        assertTrue(programs.program("salvo_bench_recv").isEmpty(), "after one failure the C side stays off");
    }
}
