package dev.salvo.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Inside a child JVM: watches standard input for the harness's stop word. End of input counts
 * as a stop too, so a child never outlives a harness that died.
 */
final class StopSignal {
    private volatile boolean requested;

    private StopSignal() {
    }

    /**
     * Starts a daemon thread that watches the stream.
     *
     * @param in the child's standard input
     * @return the signal it sets
     */
    static StopSignal watch(InputStream in) {
        StopSignal signal = new StopSignal();
        Thread.ofPlatform().name("stop-signal").daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null && !line.trim().equals(ChildMessage.STOP)) {
                    // Only the stop word matters; anything else is ignored.
                }
            } catch (IOException ignored) {
                // A broken pipe means the harness is gone, which is a stop as well.
            }
            signal.requested = true;
        });
        return signal;
    }

    /** @return true once the harness asked this child to stop */
    boolean requested() {
        return requested;
    }
}
