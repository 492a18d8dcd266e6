package io.tokenlab.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SuperBPE trained with its piece counting as a Spark aggregation over several tasks is the same
 * tokenizer.json, byte for byte, as {@code ./tokenlab run pipelines/train-superbpe.yaml} on the corpus.
 */
class SparkTrainingTest {
    private static final Path TRAIN = TokenlabCli.ROOT.resolve("pipelines/train-superbpe.yaml");
    private static final SparkSessions.TaskCounter TASKS = new SparkSessions.TaskCounter();
    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static Path corpus;

    /** English prose and YAML: the README and every shipped pipeline file, CRLF lines among them. */
    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("tokenlab.home", TokenlabCli.ROOT.toString());
        StringBuilder sb = new StringBuilder(Files.readString(TokenlabCli.ROOT.resolve("README.md")));
        try (var files = Files.list(TokenlabCli.ROOT.resolve("pipelines"))) {
            for (Path p : files.sorted().toList()) {
                sb.append(Files.readString(p).replace("\n", "\r\n"));
            }
        }
        corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, sb);
        spark = SparkSessions.local2(Files.size(corpus) / 6, TASKS);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private static byte[] cli(String... set) throws Exception {
        Path out = dir.resolve("cli-" + String.join("-", set).replaceAll("[^a-z0-9]", "") + ".json");
        String[] args = new String[5 + 2 * set.length];
        args[0] = "run";
        args[1] = TRAIN.toString();
        args[2] = "--input";
        args[3] = corpus.toString();
        args[4] = "--output=" + out;
        for (int i = 0; i < set.length; i++) {
            args[5 + 2 * i] = "--set";
            args[6 + 2 * i] = set[i];
        }
        TokenlabCli.Result r = TokenlabCli.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        return Files.readAllBytes(out);
    }

    private static byte[] spark(String name, String... set) {
        Path out = dir.resolve(name);
        String[] args = new String[5 + 2 * set.length];
        args[0] = TRAIN.toString();
        args[1] = "--input";
        args[2] = corpus.toString();
        args[3] = "--output";
        args[4] = out.toString();
        for (int i = 0; i < set.length; i++) {
            args[5 + 2 * i] = "--set";
            args[6 + 2 * i] = set[i];
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long before = TASKS.started.get();
        int code = SparkCommand.run(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), args);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(TASKS.started.get() - before).as("tasks counting the corpus's splits").isGreaterThan(2);
        try {
            return Files.readAllBytes(out.resolve(SparkTraining.OUTPUT_FILE));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void superBpeIsByteIdenticalToRun() throws Exception {
        String[] set = {"train.vocab.size=1400", "train.transition=900"};
        byte[] expected = cli(set);
        assertThat(new String(expected, StandardCharsets.UTF_8)).contains("\"merges\"");
        assertThat(spark("superbpe", set)).isEqualTo(expected);
    }

    /** With the transition at the full size SuperBPE is plain BPE: one counting phase, GPT-2's pre-tokenizer here. */
    @Test
    void plainBpeIsByteIdenticalToRun() throws Exception {
        String[] set = {"train.vocab.size=1000", "train.transition=1000", "train.pre.tokenizer=gpt2"};
        assertThat(spark("bpe", set)).isEqualTo(cli(set));
    }
}
