package dev.salvo.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The C reference programs, compiled with {@code gcc -O2} from the sources shipped in this jar
 * ({@code dev/salvo/bench/native/*.c}) into a cache directory keyed by the source's hash, so a
 * program is built once per source version and rebuilt when the source changes.
 *
 * <p>The cache is {@code $SALVO_CACHE/bench}, else {@code ~/.cache/salvo/bench}. Without gcc the
 * C contenders are skipped and {@link #unavailableReason()} says why.
 */
public final class NativePrograms {
    private static final String RESOURCE_DIR = "/dev/salvo/bench/native/";
    private static final long COMPILE_TIMEOUT_SECONDS = 60;

    private final Path cacheDir;
    private final Map<String, Path> compiled = new LinkedHashMap<>();
    private String unavailableReason;

    private NativePrograms(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** @return programs compiled into the default cache directory */
    public static NativePrograms inDefaultCache() {
        String override = System.getenv("SALVO_CACHE");
        Path base = override != null && !override.isBlank()
                ? Path.of(override) : Path.of(System.getProperty("user.home"), ".cache", "salvo");
        return new NativePrograms(base.resolve("bench"));
    }

    /**
     * @param cacheDir where the binaries go
     * @return programs compiled into that directory
     */
    public static NativePrograms in(Path cacheDir) {
        return new NativePrograms(cacheDir);
    }

    /**
     * The compiled program, building it on first use.
     *
     * @param program the program name (its source is {@code program + ".c"})
     * @return the executable, or empty when there is no compiler or the build failed
     */
    public synchronized Optional<Path> program(String program) {
        if (compiled.containsKey(program)) {
            return Optional.of(compiled.get(program));
        }
        if (unavailableReason != null) {
            return Optional.empty();
        }
        try {
            Path binary = compile(program);
            compiled.put(program, binary);
            return Optional.of(binary);
        } catch (IOException e) {
            unavailableReason = e.getMessage();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unavailableReason = "interrupted while compiling " + program;
            return Optional.empty();
        }
    }

    /** @return why C programs cannot be used, or null while none has failed */
    public synchronized String unavailableReason() {
        return unavailableReason;
    }

    private Path compile(String program) throws IOException, InterruptedException {
        byte[] source;
        try (InputStream in = NativePrograms.class.getResourceAsStream(RESOURCE_DIR + program + ".c")) {
            if (in == null) {
                throw new IOException("the C source of " + program + " is missing from the class path");
            }
            source = in.readAllBytes();
        }
        Path dir = cacheDir.resolve(hash(source));
        Path binary = dir.resolve(program);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        Optional<Path> gcc = findOnPath("gcc").or(() -> findOnPath("cc"));
        if (gcc.isEmpty()) {
            throw new IOException("no C compiler (gcc) on the PATH, so the C reference contenders are skipped"
                    + " (install gcc to compare against them)");
        }
        Files.createDirectories(dir);
        Path src = Files.write(dir.resolve(program + ".c"), source);
        Path tmp = dir.resolve(program + ".tmp" + ProcessHandle.current().pid());
        Process gccProcess = new ProcessBuilder(gcc.get().toString(), "-O2", "-o", tmp.toString(), src.toString())
                .redirectErrorStream(true).start();
        byte[] output = gccProcess.getInputStream().readAllBytes();
        if (!gccProcess.waitFor(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            gccProcess.destroyForcibly();
            throw new IOException("gcc did not finish compiling " + program + " within " + COMPILE_TIMEOUT_SECONDS + " s");
        }
        if (gccProcess.exitValue() != 0) {
            throw new IOException("gcc could not compile " + program + ", so the C contenders are skipped: "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
        // Rename into place so a concurrent harness never runs a half-written binary.
        Files.move(tmp, binary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return binary;
    }

    private static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String hash(byte[] source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always present", e);
        }
    }
}
