package io.tokenlab.api.decoder;

import java.util.Map;

/**
 * The result of a generation: the new ids (prompt excluded) and per-run statistics
 * (e.g. {@code model.calls}, {@code accepted.per.step}, {@code log.weight}).
 */
public record Generation(int[] tokens, Map<String, Double> statistics) {
    public Generation {
        statistics = Map.copyOf(statistics);
    }
}
