package dev.salvo.bench.harness;

import dev.salvo.bench.report.Json;

import java.util.Map;

/**
 * One line a child process prints on stdout. The protocol is the same for the Java children and
 * the C programs: {@code READY {"port":N}} once a receiver is bound, {@code PHASE name} as the
 * run moves on (warmup, window, settle, done), {@code RESULT {json}} once at the end, and
 * {@code ERROR text} when the child gives up. Children stop early when their standard input says
 * {@value #STOP} or closes; the C feeders answer {@value #MARK} with {@code MARK {"sent":N}}.
 */
public sealed interface ChildMessage {
    /** The word the harness writes to a child's standard input to end it cleanly. */
    String STOP = "stop";
    /** The word the harness writes to a C feeder's standard input to have it say what it has sent: {@link Mark}. */
    String MARK = "mark";

    /**
     * A receiver is bound and listening.
     *
     * @param port its UDP port on 127.0.0.1
     */
    record Ready(int port) implements ChildMessage {
    }

    /**
     * The child moved to another phase.
     *
     * @param name warmup, window, settle or done
     */
    record Phase(String name) implements ChildMessage {
    }

    /**
     * The child's measurements.
     *
     * @param fields the JSON members
     */
    record Result(Map<String, Object> fields) implements ChildMessage {
        /** Copies the members. */
        public Result {
            fields = Map.copyOf(fields);
        }

        /**
         * @param name a member name
         * @return the member as a long, or -1 when absent
         */
        public long number(String name) {
            return fields.get(name) instanceof Number n ? n.longValue() : -1;
        }
    }

    /**
     * A feeder's answer to the harness's {@value #MARK}: how many datagrams it has sent so far.
     *
     * @param sent datagrams sent since it started
     */
    record Mark(long sent) implements ChildMessage {
    }

    /**
     * The child failed and says why.
     *
     * @param text the reason
     */
    record Failure(String text) implements ChildMessage {
    }

    /**
     * Anything else (a library printing to stdout); ignored.
     *
     * @param line the line
     */
    record Other(String line) implements ChildMessage {
    }

    /**
     * Reads one protocol line.
     *
     * @param line a line from a child's stdout
     * @return the message it carries
     */
    static ChildMessage parse(String line) {
        int space = line.indexOf(' ');
        String word = space < 0 ? line : line.substring(0, space);
        String rest = space < 0 ? "" : line.substring(space + 1).trim();
        try {
            return switch (word) {
                case "READY" -> new Ready(((Number) Json.parseObject(rest).get("port")).intValue());
                case "PHASE" -> new Phase(rest);
                case "RESULT" -> new Result(Json.parseObject(rest));
                case "MARK" -> new Mark(((Number) Json.parseObject(rest).get("sent")).longValue());
                case "ERROR" -> new Failure(rest);
                default -> new Other(line);
            };
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            return new Failure("unreadable line from child: " + line);
        }
    }
}
