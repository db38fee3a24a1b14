package dev.salvo.write;

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
 */
final class ScriptedWriter implements DatagramWriter {
    /** One writer call: scalar or vector, the payload tags it carried, and what it returned. */
    record Call(boolean vector, List<Object> tags, int returned) {
        int count() {
            return tags.size();
        }
    }

    /** A scripted answer; {@code SEND_ALL} means "as the default kernel would". */
    static final int SEND_ALL = Integer.MIN_VALUE;

    final List<Call> calls = new ArrayList<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private final Map<Object, Integer> errnoByTag = new HashMap<>();

    /** Queues answers for the next calls: a count (vector), a byte count (scalar), or -errno. */
    ScriptedWriter then(int... answers) {
        for (int a : answers) {
            script.add(a);
        }
        return this;
    }

    /** The default kernel refuses the datagram with this tag with {@code errno}. */
    ScriptedWriter failing(Object tag, int errno) {
        errnoByTag.put(tag, errno);
        return this;
    }

    @Override
    public int writeScalar(PendingWrite write) {
        Integer scripted = script.poll();
        int answer;
        if (scripted != null && scripted != SEND_ALL) {
            answer = scripted;
        } else {
            Integer errno = errnoByTag.get(write.payload());
            answer = errno != null ? -errno : write.length();
        }
        calls.add(new Call(false, List.of(tagOf(write)), answer));
        return answer;
    }

    @Override
    public int writeVector(WriteBatch batch, int count) {
        List<Object> tags = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            tags.add(tagOf(batch.get(i)));
        }
        Integer scripted = script.poll();
        int answer;
        if (scripted != null && scripted != SEND_ALL) {
            answer = scripted >= 0 ? Math.min(scripted, count) : scripted;
        } else {
            answer = count;
            for (int i = 0; i < count; i++) {
                Integer errno = errnoByTag.get(batch.get(i).payload());
                if (errno != null) {
                    answer = i == 0 ? -errno : i;
                    break;
                }
            }
        }
        calls.add(new Call(true, tags, answer));
        return answer;
    }

    private static Object tagOf(PendingWrite w) {
        return w.payload() == null ? "<null>" : w.payload();
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
