package dev.salvo.bench.report;

import dev.salvo.bench.harness.Role;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns runs into table rows: medians per (mode, payload, contender) over the successful runs,
 * then ratios within each (mode, payload) group to the named C baseline and to the best Java peer
 * of the same kind: a contender that lets the kernel coalesce datagrams (GRO, GSO) is compared
 * with the fastest Java peer that does too, any other with the fastest Java peer that does not, so
 * a {@code recvmmsg} receiver is never measured against Netty's GRO.
 */
public final class Summary {
    private Summary() {
    }

    /**
     * @param runs         every run, failed ones included (they are left out of the medians)
     * @param baselineName the contender whose datagrams/s is 1.00 in the "vs C" column
     * @return one row per contender, payload and mode that has at least one successful run, ordered
     *         by mode, then payload, then the order contenders first appear in {@code runs}
     */
    public static List<SummaryRow> of(List<Measurement> runs, String baselineName) {
        Map<String, Integer> contenderOrder = new LinkedHashMap<>();
        Map<String, Integer> modeOrder = new LinkedHashMap<>();
        Map<List<Object>, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : runs) {
            contenderOrder.putIfAbsent(m.impl(), contenderOrder.size());
            modeOrder.putIfAbsent(m.mode(), modeOrder.size());
            if (m.ok()) {
                groups.computeIfAbsent(List.of(m.mode(), m.payload(), m.impl()), k -> new ArrayList<>()).add(m);
            }
        }
        List<SummaryRow> rows = new ArrayList<>();
        for (List<Measurement> group : groups.values()) {
            rows.add(medians(group));
        }
        rows.sort(Comparator.<SummaryRow>comparingInt(r -> modeOrder.get(r.mode()))
                .thenComparingInt(SummaryRow::payload)
                .thenComparingInt(r -> contenderOrder.get(r.impl())));
        return withRatios(rows, baselineName);
    }

    private static SummaryRow medians(List<Measurement> group) {
        Measurement first = group.getFirst();
        return new SummaryRow(first.side(), first.impl(), first.mechanism(), first.role(), first.payload(), first.mode(),
                group.size(),
                median(group, Measurement::datagramsPerSecond),
                median(group, Measurement::gbitPerSecond),
                median(group, Measurement::cpuSecondsPerMillion),
                median(group, Measurement::lossPercent),
                median(group, m -> m.lost() >= 0 ? m.lost() : Double.NaN),
                median(group, Measurement::windowLossPercent),
                first.side().equals("receive") ? median(group, m -> m.gcCount()) : Double.NaN,
                first.side().equals("receive") ? median(group, m -> m.gcMillis()) : Double.NaN,
                Double.NaN, Double.NaN);
    }

    private static double median(List<Measurement> group, ToDoubleFunction<Measurement> field) {
        return Stats.median(group.stream().mapToDouble(field).toArray());
    }

    private static List<SummaryRow> withRatios(List<SummaryRow> rows, String baselineName) {
        List<SummaryRow> out = new ArrayList<>(rows.size());
        for (SummaryRow row : rows) {
            double baseline = Double.NaN;
            double bestJava = Double.NaN;
            for (SummaryRow other : rows) {
                if (!other.mode().equals(row.mode()) || other.payload() != row.payload()) {
                    continue;
                }
                if (other.impl().equals(baselineName)) {
                    baseline = other.datagramsPerSecond();
                }
                if (other.role() == Role.JAVA_PEER && coalesces(other.impl()) == coalesces(row.impl())
                        && (Double.isNaN(bestJava) || other.datagramsPerSecond() > bestJava)) {
                    bestJava = other.datagramsPerSecond();
                }
            }
            out.add(new SummaryRow(row.side(), row.impl(), row.mechanism(), row.role(), row.payload(), row.mode(),
                    row.runs(), row.datagramsPerSecond(), row.gbitPerSecond(), row.cpuSecondsPerMillion(),
                    row.lossPercent(), row.lost(), row.windowLossPercent(), row.gcCount(), row.gcMillis(),
                    Stats.ratio(row.datagramsPerSecond(), baseline), Stats.ratio(row.datagramsPerSecond(), bestJava)));
        }
        return out;
    }

    /**
     * @param contender a contender's name, such as {@code salvo/io_uring-gro} or {@code salvo/gro@2}
     * @return whether it lets the kernel coalesce datagrams: a word of its name, split at {@code /}
     *     and {@code -} (a {@code @N} loop count left out), is {@code gro} or {@code gso}
     */
    static boolean coalesces(String contender) {
        int at = contender.indexOf('@');
        String name = at < 0 ? contender : contender.substring(0, at);
        for (String word : name.split("[/-]")) {
            if (word.equals("gro") || word.equals("gso")) {
                return true;
            }
        }
        return false;
    }
}
