package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Java side of benchmarks/trainer-vs-sentencepiece.sh (not a unit test):
 * <pre>
 *   prepare DIR MEGABYTES        real English from the catalog into DIR/train.txt and DIR/heldout.txt
 *   bpe TRAIN HELDOUT V OUT      trains tokenizer/train-bpe, prints seconds and held-out bytes/token
 *   superbpe TRAIN HELDOUT V T...  BPE and SuperBPE at each transition T, held-out bytes/token of each
 * </pre>
 * {@code -Dpre.tokenizer=gpt2|cl100k} picks the pre-tokenization (BPE, and SuperBPE's stage 1).
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
                Iterable<String> train = lines(Path.of(args[1]));
                List<String> heldOut = Files.readAllLines(Path.of(args[2]));
                int v = Integer.parseInt(args[3]);
                long start = System.nanoTime();
                Tokenizer t = new BpeTrainerTechnique().train(train, Parameters.of(Map.of("vocab.size", v,
                        "pre.tokenizer", System.getProperty("pre.tokenizer", "gpt2"))),
                        new KitContext(null), Path.of(args[4]));
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("seconds %.1f%nbytes_per_token %.4f%n", seconds, Corpus.bytesPerToken(t, heldOut));
                break;
            }
            case "superbpe": {
                Iterable<String> train = lines(Path.of(args[1]));
                List<String> heldOut = Files.readAllLines(Path.of(args[2]));
                int v = Integer.parseInt(args[3]);
                BpeTraining.Settings s = new BpeTraining.Settings(v, 2, Runtime.getRuntime().availableProcessors(),
                        List.of("<|endoftext|>"), PreTokenization.named(System.getProperty("pre.tokenizer", "gpt2")));
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

    /**
     * The lines of a file, read afresh on every iteration as a user's corpus on disk would be: the
     * trainer streams its input, so the corpus is never held in memory as a whole.
     */
    static Iterable<String> lines(Path file) {
        return () -> {
            BufferedReader reader;
            try {
                reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
            return new Iterator<>() {
                private String next = read();

                private String read() {
                    try {
                        String line = reader.readLine();
                        if (line == null) {
                            reader.close();
                        }
                        return line;
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                    }
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public String next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    String line = next;
                    next = read();
                    return line;
                }
            };
        };
    }

    /**
     * The English corpora of the catalog in a fixed order (documentation, then the State of the
     * Union addresses and Moby-Dick), whole files: every 20th file is held out, the rest trains.
     */
    static final List<String> ENGLISH = List.of("linux-doc", "python-doc", "perl-doc", "pandas-doc", "sotu", "moby-dick");

    /** Lines longer than this are cut at a space: spm_train skips sentences over 4192 bytes. */
    static final int MAX_LINE_CHARS = 2000;

    static void prepare(Path dir, int megabytes) throws IOException {
        FileCatalog catalog = new FileCatalog(FileCatalog.defaultDataDirectory());
        List<Path> files = new ArrayList<>();
        for (String name : ENGLISH) {
            Path root = catalog.fetch(name);
            try (Stream<Path> s = Files.walk(root)) {
                // sotu ships each address twice, as .txt and as .json: the text files only
                files.addAll(s.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".json"))
                        .sorted().collect(Collectors.toList()));
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
                    for (String part : wrap(line.strip())) {
                        to.write(part);
                        to.write('\n');
                        long n = part.getBytes(StandardCharsets.UTF_8).length + 1;
                        if (to == held) {
                            heldOut += n;
                        } else {
                            written += n;
                        }
                    }
                }
            }
        }
        System.out.printf("training %.1f MB, held-out %.1f MB (from %d files of %s)%n",
                written / 1048576.0, heldOut / 1048576.0, files.size(), String.join(", ", ENGLISH));
    }

    /** {@code line} cut at spaces into parts of at most MAX_LINE_CHARS characters (a word longer stays whole). */
    static List<String> wrap(String line) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (line.length() - from > MAX_LINE_CHARS) {
            int cut = line.lastIndexOf(' ', from + MAX_LINE_CHARS);
            if (cut <= from) {
                cut = line.indexOf(' ', from + MAX_LINE_CHARS);
                if (cut < 0) {
                    break;
                }
            }
            parts.add(line.substring(from, cut));
            from = cut + 1;
        }
        parts.add(line.substring(from));
        return parts;
    }
}
