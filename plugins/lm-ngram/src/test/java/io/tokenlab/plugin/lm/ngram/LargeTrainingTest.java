package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trains order 4 on 50 MB of real text within a fixed n-gram budget and reports time and peak
 * resident memory. It takes minutes, so it is opt-in:
 * {@code mvn -o test -f plugins/lm-ngram/pom.xml -Dtest=LargeTrainingTest -Dtokenlab.ngram.large=true}
 * (bound the heap with {@code JDK_JAVA_OPTIONS=-Xmx1200m}; {@code -Dtokenlab.ngram.max=N} sets the n-gram budget).
 */
@EnabledIfSystemProperty(named = "tokenlab.ngram.large", matches = "true")
class LargeTrainingTest {
    @Test
    void trainsFiftyMegabytesOfOrderFourInBoundedMemory() throws Exception {
        RunContext context = RealText.context();
        Tokenizer gpt2 = RealText.gpt2(context);
        List<Path> files = new ArrayList<>();
        for (String corpus : List.of("linux-doc", "python-doc", "udhr")) {
            try {
                files.addAll(NgramTrainer.corpusFiles(context.data().fetch(corpus)));
            } catch (Exception e) {
                System.out.println("corpus " + corpus + " unavailable: " + e.getMessage());
            }
        }
        // the catalog's three text corpora hold ~44.5 MB; the rest of the 50 MB is linux-doc read a second time
        List<Path> firstPass = new ArrayList<>(files);
        while (files.size() < firstPass.size() * 3) {
            files.addAll(firstPass);
        }
        long maxNgrams = Long.getLong("tokenlab.ngram.max", 20_000_000L);
        long bytes = Long.getLong("tokenlab.ngram.bytes", 50_000_000L);
        NgramTrainer trainer = new NgramTrainer(gpt2, "tokenizer/bpe gpt2", 4, maxNgrams, 2);
        NgramTrainer.Report report = trainer.trainOnFiles(files, bytes, Progress.NONE);
        Path file = Files.createTempFile("large", ".tlng");
        NgramModelFile.write(report.model(), file);
        long fileBytes = Files.size(file);
        Files.delete(file);
        String status = Files.readString(Path.of("/proc/self/status"));
        String peak = status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("VmHWM: unknown");
        System.out.printf("trained order 4 on %.1f MB (%d tokens) in %.1f s; n-grams %s; pruned %d; truncated %s;"
                        + " file %.1f MB; peak RSS %s; max heap %d MB%n", report.bytes() / 1e6, report.model().trainingTokens(),
                report.seconds(), java.util.Arrays.toString(report.model().ngramCounts()), report.prunedNgrams(),
                report.truncated(), fileBytes / 1e6, peak.replaceAll("\\s+", " "), Runtime.getRuntime().maxMemory() >> 20);
        assertThat(report.bytes()).isGreaterThan(bytes * 9 / 10);
        long stored = java.util.Arrays.stream(report.model().ngramCounts()).sum();
        assertThat(stored).isLessThanOrEqualTo(maxNgrams);
    }
}
