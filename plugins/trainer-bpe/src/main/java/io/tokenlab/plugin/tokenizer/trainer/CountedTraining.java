package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code tokenizer/train-superbpe} split at its counting, for runners that count the corpus's pieces
 * elsewhere (a Spark aggregation over many JVMs) and merge here. Only JDK types and the stage's
 * {@link Parameters} cross, since callers reach this class through the bundle's class loader. Given
 * the same counts the result is the stage's own, file for file: merges depend on the counts, never on
 * the order pieces were counted in.
 */
public final class CountedTraining {
    private CountedTraining() {
    }

    /** The pre-tokenizations whose pieces the training with these parameters counts (names for {@link #pieces}). */
    public static List<String> phases(Parameters parameters) {
        SuperBpeTrainerTechnique.Config c = parameters.as(SuperBpeTrainerTechnique.Config.class);
        BpeTraining.Settings settings = SuperBpeTrainerTechnique.settings(c);
        List<String> phases = new ArrayList<>(List.of(settings.preTokenization().name()));
        if (SuperBpeTrainerTechnique.transition(c) < settings.vocabularySize()) {
            phases.add(PreTokenization.SUPERWORD.name());
        }
        return phases;
    }

    /** Calls {@code piece} with every piece of one corpus line under the named pre-tokenization. */
    public static void pieces(String phase, String text, Consumer<String> piece) {
        PreTokenization.valueOf(phase).split(text, piece);
    }

    /**
     * Trains on counted pieces and returns tokenizer.json as the stage's text lines.
     *
     * @param counts per phase name, each distinct piece and its count over the corpus
     */
    public static List<String> train(Parameters parameters, Map<String, Map<String, Long>> counts, Progress progress) {
        return TrainerStage.lines(SuperBpeTrainerTechnique.train(parameters, settings -> pre -> {
            Map<String, Long> phase = counts.get(pre.name());
            if (phase == null) {
                throw new IllegalArgumentException("no counts for the " + pre.name() + " pieces; counted: " + counts.keySet());
            }
            PieceTable table = new PieceTable(Math.max(16, phase.size()));
            phase.forEach((p, n) -> table.add(p, 0, p.length(), n));
            return table;
        }, progress));
    }
}
