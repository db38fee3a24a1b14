package dev.salvo.bench.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: whether the C contenders can exist on this machine. */
final class Gcc {
    private Gcc() {
    }

    static boolean present() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && (Files.isExecutable(Path.of(dir, "gcc")) || Files.isExecutable(Path.of(dir, "cc")))) {
                return true;
            }
        }
        return false;
    }
}
