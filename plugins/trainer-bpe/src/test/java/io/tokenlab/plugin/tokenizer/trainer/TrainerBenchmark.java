package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Java side of benchmarks/trainer-vs-sentencepiece.sh (not a unit test):
 * <pre>
 *   prepare DIR MEGABYTES        real English from the catalog into DIR/train.txt and DIR/heldout.txt
 *   bpe TRAIN HELDOUT V OUT      trains tokenizer/train-bpe, prints seconds and held-out bytes/token
 *   superbpe TRAIN HELDOUT V T...  BPE and SuperBPE at each transition T, held-out bytes/token of each
 * </pre>
 */
public final class TrainerBenchmark {
    private TrainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "prepare":
                prepare(Path.of(args[1]), Integer.parseInt(args[2]));
                break;
            case "bpe": {
                List<String> train = Files.readAllLines(Path.of(args[1]));
                List<String> heldOut = Files.readAllLines(Path.of(args[2]));
                int v = Integer.parseInt(args[3]);
                long start = System.nanoTime();
                Tokenizer t = new BpeTrainerTechnique().train(train, Parameters.of(Map.of("vocab.size", v)),
                        new KitContext(null), Path.of(args[4]));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("seconds %.1f%nbytes_per_token %.4f%n", seconds, Corpus.bytesPerToken(t, heldOut));
                break;
            }
            case "superbpe": {
                List<String> train = Files.readAllLines(Path.of(args[1]));
                List<String> heldOut = Files.readAllLines(Path.of(args[2]));
                int v = Integer.parseInt(args[3]);
                BpeTraining.Settings s = new BpeTraining.Settings(v, 2, Runtime.getRuntime().availableProcessors(),
                        List.of("<|endoftext|>"));
                long start = System.nanoTime();
                TrainedBpe bpe = BpeTraining.bpe(train, s, Progress.NONE);
                double base = Corpus.bytesPerToken(bpe, heldOut);
                System.out.printf("V=%d BPE                held-out bytes/token %.4f  (%.0f s)%n", v, base,
                        (System.nanoTime() - start) / 1e9);
                for (int i = 4; i < args.length; i++) {
                    int transition = Integer.parseInt(args[i]);
                    start = System.nanoTime();
                    TrainedBpe sup = BpeTraining.superBpe(train, s, transition, 4, Progress.NONE);
                    double b = Corpus.bytesPerToken(sup, heldOut);
                    System.out.printf("V=%d SuperBPE t=%-6d held-out bytes/token %.4f  %+.1f%% bytes/token, %.1f%% fewer tokens  (%.0f s)%n",
                            v, transition, b, 100 * (b / base - 1), 100 * (1 - base / b), (System.nanoTime() - start) / 1e9);
                }
                break;
            }
            default:
                throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** linux-doc then python-doc, whole files: every 20th file is held out, the rest trains. */
    static void prepare(Path dir, int megabytes) throws IOException {
        FileCatalog catalog = new FileCatalog(FileCatalog.defaultDataDirectory());
        List<Path> files = new ArrayList<>();
        for (String name : List.of("linux-doc", "python-doc")) {
            try (Stream<Path> s = Files.walk(catalog.fetch(name))) {
                files.addAll(s.filter(Files::isRegularFile).sorted().collect(Collectors.toList()));
            }
        }
        Files.createDirectories(dir);
        long budget = (long) megabytes << 20;
        long written = 0;
        long heldOut = 0;
        try (BufferedWriter train = Files.newBufferedWriter(dir.resolve("train.txt"), StandardCharsets.UTF_8);
             BufferedWriter held = Files.newBufferedWriter(dir.resolve("heldout.txt"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < files.size() && written + heldOut < budget; i++) {
                BufferedWriter to = i % 20 == 19 ? held : train;
                for (String line : new String(Files.readAllBytes(files.get(i)), StandardCharsets.UTF_8).split("\n")) {
                    line = line.replace("\r", "");
                    if (line.isBlank()) {
                        continue;
                    }
                    to.write(line);
                    to.write('\n');
                    long n = line.getBytes(StandardCharsets.UTF_8).length + 1;
                    if (to == held) {
                        heldOut += n;
                    } else {
                        written += n;
                    }
                }
            }
        }
        System.out.printf("training %.1f MB, held-out %.1f MB (%d files of linux-doc and python-doc)%n",
                written / 1048576.0, heldOut / 1048576.0, files.size());
    }
}
