package dev.salvo.transport.linux;

/**
 * Whether the Linux FFM transport can run in this JVM, and if not, why.
 *
 * <p>The channel layer asks {@link #isAvailable()} once and falls back to {@code java.nio} when it
 * is false; {@link #unavailabilityReason()} says why in words a user can act on. The check is made
 * once: operating system, CPU architecture (struct layouts are known for x86-64 and aarch64),
 * whether native access is enabled for this code, and whether libc's functions link.
 */
public final class LinuxTransport {
    private static final String REASON = computeReason();

    private LinuxTransport() {
    }

    /** @return true when the Linux transport can be used */
    public static boolean isAvailable() {
        return REASON == null;
    }

    /** @return why the transport is unavailable, or {@code null} when it is available */
    public static String unavailabilityReason() {
        return REASON;
    }

    /**
     * Fails fast, with the reason, when the transport cannot be used.
     *
     * @throws UnsupportedOperationException naming the reason
     */
    public static void ensureAvailable() {
        if (REASON != null) {
            throw new UnsupportedOperationException("the Linux FFM transport is unavailable: " + REASON);
        }
    }

    private static String computeReason() {
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            return "the operating system is " + os + ", not Linux";
        }
        String arch = System.getProperty("os.arch", "");
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "the CPU architecture " + arch + " is not supported (struct layouts are known for x86-64 and aarch64)";
        }
        Module module = LinuxTransport.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String who = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return "native access is not enabled for " + (module.isNamed() ? "module " + who : "the class path")
                    + "; start java with --enable-native-access=" + who;
        }
        try {
            Class.forName(Libc.class.getName(), true, LinuxTransport.class.getClassLoader());
        } catch (Throwable t) {
            Throwable cause = t instanceof ExceptionInInitializerError && t.getCause() != null ? t.getCause() : t;
            return "libc functions could not be linked: " + cause;
        }
        return null;
    }
}
