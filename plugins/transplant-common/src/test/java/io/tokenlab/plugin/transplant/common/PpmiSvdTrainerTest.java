package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.Progress;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PpmiSvdTrainerTest {
    @Test
    void wordsThatShareContextsGetSimilarVectors() {
        // a corpus where "cat" and "dog" appear in the same frames and "red"/"blue" in others
        Random r = new Random(4);
        String[] animals = {"cat", "dog"};
        String[] colours = {"red", "blue"};
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String a = animals[r.nextInt(2)];
            String c = colours[r.nextInt(2)];
            paragraphs.add("the " + a + " eats food and the " + a + " sleeps while paint is " + c + " and the wall is " + c);
        }
        WordSequences w = WordSequences.of(paragraphs);
        EmbeddingTable t = PpmiSvdTrainer.train(w.vocabulary(), w.sequences(),
                new PpmiSvdTrainer.Settings(4, 3, 5, 100, 0.75, 0.5, 2, 1L), new ScalarCompute(), Progress.NONE);
        assertThat(cos(t, "cat", "dog")).isGreaterThan(cos(t, "cat", "red") + 0.3);
        assertThat(cos(t, "red", "blue")).isGreaterThan(cos(t, "blue", "dog") + 0.3);
    }

    private static double cos(EmbeddingTable t, String a, String b) {
        float[] x = t.vectors().rowCopy(t.indexOf(a));
        float[] y = t.vectors().rowCopy(t.indexOf(b));
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xy / Math.sqrt(xx * yy);
    }
}
