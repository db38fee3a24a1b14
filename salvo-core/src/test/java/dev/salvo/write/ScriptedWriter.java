package dev.salvo.write;

import dev.salvo.transport.linux.SendErrors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake kernel for the write engine: records every call (which datagrams, by payload tag) and
 * answers from a script, or, when the script is empty, like a healthy kernel that fails only the
 * datagrams given a per-tag errno (sendmmsg sends up to the first bad one, as Linux does).
 * Errnos are classified by the Linux transport's own classifier, as the real writer does.
 */
final class ScriptedWriter implements DatagramWriter {
    /**
     * One writer call: scalar or vector, the payload tags it carried, what it returned (a count,
     * or -errno), and how many segments of the head were already sent when it was made.
     */
    record Call(boolean vector, List<Object> tags, int returned, int headSegmentsSent) {
        int count() {
            return tags.size();
        }
    }

    /** A scripted answer; {@code SEND_ALL} means "as the default kernel would". */
    static final int SEND_ALL = Integer.MIN_VALUE;

    /** A scripted software-split answer: this many more segments of the head went out, then EAGAIN. */
    private record SplitBlocked(int segments) {
    }

    private static final int EAGAIN = 11;

    final List<Call> calls = new ArrayList<>();
    private final Deque<Object> script = new ArrayDeque<>();
    private final Map<Object, Integer> errnoByTag = new HashMap<>();

    /** Queues answers for the next calls: a count (vector), a byte count (scalar), or -errno. */
    ScriptedWriter then(int... answers) {
        for (int a : answers) {
            script.add(a);
        }
        return this;
    }

    /** Queues a partial software split: {@code segments} more segments of the head sent, the rest would block. */
    ScriptedWriter thenSplitBlocked(int segments) {
        script.add(new SplitBlocked(segments));
        return this;
    }

    /** The default kernel refuses the datagram with this tag with {@code errno}. */
    ScriptedWriter failing(Object tag, int errno) {
        errnoByTag.put(tag, errno);
        return this;
    }

    @Override
    public void writeScalar(PendingWrite write, SendOutcome out) {
        Object scripted = script.poll();
        int before = write.segmentsSent();
        if (scripted instanceof SplitBlocked split) {
            calls.add(new Call(false, List.of(tagOf(write)), -EAGAIN, before));
            out.splitBlocked(split.segments(), EAGAIN, "sendmsg");
            return;
        }
        int answer;
        if (scripted instanceof Integer i && i != SEND_ALL) {
            answer = i;
        } else {
            Integer errno = errnoByTag.get(tagOf(write));
            answer = errno != null ? -errno : write.length();
        }
        calls.add(new Call(false, List.of(tagOf(write)), answer, before));
        if (answer >= 0) {
            out.sent(1);
        } else {
            out.failed(SendErrors.classify(-answer, write.segmentSize() > 0), -answer, "sendmsg");
        }
    }

    @Override
    public void writeVector(WriteBatch batch, int count, SendOutcome out) {
        List<Object> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(tagOf(batch.get(i)));
        }
        PendingWrite head = batch.get(0);
        Object scripted = script.poll();
        if (scripted instanceof SplitBlocked split) {
            calls.add(new Call(true, tags, -EAGAIN, head.segmentsSent()));
            out.splitBlocked(split.segments(), EAGAIN, "sendmmsg");
            return;
        }
        int answer;
        if (scripted instanceof Integer s && s != SEND_ALL) {
            answer = s >= 0 ? Math.min(s, count) : s;
        } else {
            answer = count;
            for (int i = 0; i < count; i++) {
                Integer errno = errnoByTag.get(tagOf(batch.get(i)));
                if (errno != null) {
                    answer = i == 0 ? -errno : i;
                    break;
                }
            }
        }
        calls.add(new Call(true, tags, answer, head.segmentsSent()));
        if (answer >= 0) {
            out.sent(answer);
        } else {
            out.failed(SendErrors.classify(-answer, head.segmentSize() > 0), -answer, "sendmmsg");
        }
    }

    private static Object tagOf(PendingWrite w) {
        return Tags.of(w);
    }

    /** @return the tags of every datagram any call carried, in call order */
    List<Object> allTagsSent() {
        List<Object> all = new ArrayList<>();
        for (Call c : calls) {
            all.addAll(c.tags());
        }
        return all;
    }
}
