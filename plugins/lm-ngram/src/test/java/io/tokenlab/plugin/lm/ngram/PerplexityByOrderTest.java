package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The model's reason to exist: more context helps on held-out real text, until the data runs out. */
class PerplexityByOrderTest {
    @Test
    void heldOutPerplexityFallsWithOrder() throws Exception {
        RunContext context = RealText.context();
        Tokenizer gpt2 = RealText.gpt2(context);
        List<List<String>> split = RealText.trainAndHeldOut(context, 3_000_000, 150_000, 25);
        List<int[]> train = gpt2.encodeBatch(split.get(0), 2);
        List<int[]> heldOut = gpt2.encodeBatch(split.get(1), 2);
        int end = NgramTrainer.endToken(gpt2);
        double[] perplexity = new double[6];
        StringBuilder table = new StringBuilder("order  perplexity  n-grams\n");
        for (int order = 1; order <= 5; order++) {
            NgramCounter counter = new NgramCounter(order, gpt2.vocabularySize(), Long.MAX_VALUE);
            for (int[] doc : train) {
                counter.accept(doc);
                counter.accept(new int[] {end});
            }
            NgramModel model = counter.build("tokenizer/bpe gpt2");
            double nll = 0;
            long n = 0;
            for (int[] doc : heldOut) {
                int[] stream = new int[doc.length + 1];
                stream[0] = end;
                System.arraycopy(doc, 0, stream, 1, doc.length);
                for (int i = 1; i < stream.length; i++) {
                    int[] ctx = Arrays.copyOfRange(stream, Math.max(0, i - order + 1), i);
                    nll -= model.logProbability(ctx, stream[i]);
                    n++;
                }
            }
            perplexity[order] = Math.exp(nll / n);
            table.append(String.format("%5d  %10.2f  %s%n", order, perplexity[order], Arrays.toString(model.ngramCounts())));
        }
        System.out.println("held-out perplexity on linux-doc (gpt2 ids, ~3 MB train):\n" + table);
        assertThat(perplexity[2]).isLessThan(perplexity[1] * 0.5);
        assertThat(perplexity[3]).isLessThan(perplexity[2]);
        assertThat(perplexity[4]).isLessThan(perplexity[3] * 1.01);
    }
}
