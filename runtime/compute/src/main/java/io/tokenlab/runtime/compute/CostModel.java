package io.tokenlab.runtime.compute;

import java.util.Map;
import java.util.TreeMap;

/**
 * Measured seconds of one backend for one workload at a few sizes, and an estimate in between:
 * linear interpolation in log-log space; below the smallest size the smallest time (fixed costs such
 * as a device transfer dominate there); above the largest, that size's throughput.
 */
final class CostModel {
    private final TreeMap<Long, Double> seconds = new TreeMap<>();

    synchronized void record(long size, double time) {
        seconds.put(size, time);
    }

    synchronized boolean isEmpty() {
        return seconds.isEmpty();
    }

    synchronized Map<Long, Double> points() {
        return new TreeMap<>(seconds);
    }

    synchronized double estimate(long size) {
        if (seconds.isEmpty()) {
            return Double.NaN;
        }
        Map.Entry<Long, Double> below = seconds.floorEntry(size);
        Map.Entry<Long, Double> above = seconds.ceilingEntry(size);
        if (below == null) {
            return above.getValue();
        }
        if (above == null) {
            return below.getValue() * size / below.getKey();
        }
        if (below.getKey().equals(above.getKey())) {
            return below.getValue();
        }
        double t = (Math.log(size) - Math.log(below.getKey())) / (Math.log(above.getKey()) - Math.log(below.getKey()));
        return Math.exp(Math.log(below.getValue()) * (1 - t) + Math.log(above.getValue()) * t);
    }
}
