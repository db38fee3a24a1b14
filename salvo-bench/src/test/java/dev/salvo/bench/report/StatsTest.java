package dev.salvo.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValue() {
        assertEquals(3.0, Stats.median(9.0, 1.0, 3.0));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertEquals(2.5, Stats.median(4.0, 1.0, 2.0, 3.0));
    }

    @Test
    void medianIgnoresMissingValues() {
        assertEquals(2.0, Stats.median(Double.NaN, 2.0, Double.NaN));
        assertEquals(5.0, Stats.median(List.of(5.0, Double.NaN)));
    }

    @Test
    void medianOfNothingIsMissing() {
        assertTrue(Double.isNaN(Stats.median()));
        assertTrue(Double.isNaN(Stats.median(Double.NaN)));
    }

    @Test
    void medianDoesNotReorderTheCallersArray() {
        double[] values = {3.0, 1.0, 2.0};
        Stats.median(values);
        assertEquals(3.0, values[0]);
    }

    @Test
    void ratioDividesByTheBaseline() {
        assertEquals(0.5, Stats.ratio(1.0, 2.0));
    }

    @Test
    void ratioWithoutAUsableBaselineIsMissing() {
        assertTrue(Double.isNaN(Stats.ratio(1.0, 0.0)));
        assertTrue(Double.isNaN(Stats.ratio(1.0, Double.NaN)));
        assertTrue(Double.isNaN(Stats.ratio(Double.NaN, 2.0)));
    }
}
