package io.tokenlab.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner in local[2] against {@code ./tokenlab run} on the same input: the txt output is the
 * same bytes, the Parquet ids read back are the same rows, and bad pipelines and inputs fail before
 * any task with run's messages.
 */
class SparkEncodeTest {
    private static final Path ENCODE = TokenlabCli.ROOT.resolve("pipelines/encode.yaml");
    private static final SparkSessions.TaskCounter TASKS = new SparkSessions.TaskCounter();
    private static SparkSession spark;
    @TempDir
    static Path dir;
    private static Path corpus;
    private static byte[] cliOutput;

    /** The README, and lines that test the reader's edges: CRLF, blank, non-ASCII, a tab, no final break. */
    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("tokenlab.home", TokenlabCli.ROOT.toString());
        corpus = dir.resolve("corpus.txt");
        String readme = Files.readString(TokenlabCli.ROOT.resolve("README.md"));
        Files.writeString(corpus, readme + "\r\nwindows line\r\n\r\n\nCafé, naïve — 東京 🙂\n\ttab\nlast line without a break");
        TokenlabCli.Result r = TokenlabCli.run("run", ENCODE.toString(), "--input", corpus.toString(),
                "--output", dir.resolve("cli.txt").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        cliOutput = Files.readAllBytes(dir.resolve("cli.txt"));
        // about 8 splits of the corpus: lines cross split boundaries and the txt parts must join in order
        spark = SparkSessions.local2(Files.size(corpus) / 8, TASKS);
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run spark(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> cliLines() {
        return Arrays.asList(new String(cliOutput, StandardCharsets.US_ASCII).split("\n", -1)).subList(0,
                new String(cliOutput, StandardCharsets.US_ASCII).split("\n", -1).length - 1);
    }

    @Test
    void txtOutputIsWhatRunWrites() throws Exception {
        Path out = dir.resolve("txt-out");
        Run r = spark(ENCODE.toString(), "--input", corpus.toString(), "--output", out.toString(), "--output-format", "txt");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve(Outputs.TXT_FILE))).isEqualTo(cliOutput);
        Map<?, ?> summary = new ObjectMapper().readValue(out.resolve(Outputs.SUMMARY_FILE).toFile(), Map.class);
        assertThat(((Number) summary.get("documents")).longValue()).isEqualTo(cliLines().size());
        long tokens = cliLines().stream().filter(l -> !l.isEmpty()).mapToLong(l -> l.split(" ").length).sum();
        assertThat(((Number) summary.get("tokens")).longValue()).isEqualTo(tokens);
        assertThat(r.out()).isEqualTo(Files.readString(out.resolve(Outputs.SUMMARY_FILE)));
    }

    /** What a worker with only Spark gets: the runtime, every plugin jar, the pipeline and its vocabulary. */
    @Test
    void jobShipsRuntimePluginsPipelineAndDataSet() throws Exception {
        Run r = spark(ENCODE.toString(), "--input", corpus.toString(), "--output", dir.resolve("shipped-out").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> plugins;
        try (var s = Files.list(TokenlabCli.ROOT.resolve("bundles"))) {
            plugins = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        List<String> wanted = new ArrayList<>(plugins);
        wanted.add("launch.jar");
        wanted.add("cl100k_base/cl100k_base.tiktoken");
        List<String> missing = spark.createDataset(wanted, org.apache.spark.sql.Encoders.STRING()).repartition(2)
                .filter((org.apache.spark.api.java.function.FilterFunction<String>) name -> !Files.isRegularFile(
                        Path.of(org.apache.spark.SparkFiles.getRootDirectory(), name)))
                .collectAsList();
        assertThat(plugins).contains("tokenizer-bpe.jar");
        assertThat(missing).isEmpty();
        try (var s = Files.list(Path.of(org.apache.spark.SparkFiles.getRootDirectory()))) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("-encode.yaml"));
        }
    }

    @Test
    void parquetReadBackHasRunsIds() {
        Path out = dir.resolve("parquet-out");
        Run r = spark(ENCODE.toString(), "--input", corpus.toString(), "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        List<Row> rows = spark.read().parquet(out.resolve(Outputs.PARQUET_DIR).toString()).orderBy("offset").collectAsList();
        assertThat(rows.stream().map(row -> ids(row.getList(row.fieldIndex("ids")))).toList()).isEqualTo(cliLines());
        assertThat(rows.get(0).getString(rows.get(0).fieldIndex("path"))).endsWith("corpus.txt");
    }

    private static String ids(List<Integer> ids) {
        StringBuilder sb = new StringBuilder();
        for (Integer i : ids) {
            sb.append(sb.length() == 0 ? "" : " ").append(i);
        }
        return sb.toString();
    }

    /** The corpus's lines as run reads them, as JSONL records and as a Parquet column. */
    private static List<String> documents() throws Exception {
        List<String> docs = new ArrayList<>();
        for (String line : Files.readString(corpus).split("\n", -1)) {
            docs.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        return docs;
    }

    @Test
    void jsonlFieldGivesRunsOutput() throws Exception {
        Path jsonl = dir.resolve("corpus.jsonl");
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (String d : documents()) {
            Map<String, Object> record = new java.util.LinkedHashMap<>();
            record.put("id", sb.length());
            record.put("body", d);
            sb.append(json.writeValueAsString(record)).append('\n');
        }
        Files.writeString(jsonl, sb);
        Path out = dir.resolve("jsonl-out");
        Run r = spark(ENCODE.toString(), "--input", jsonl.toString(), "--output", out.toString(), "--output-format", "txt",
                "--text-field", "body");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve(Outputs.TXT_FILE))).isEqualTo(cliOutput);

        Run wrongField = spark(ENCODE.toString(), "--input", jsonl.toString(), "--output", dir.resolve("jsonl-bad").toString());
        assertThat(wrongField.exit()).isEqualTo(1);
        assertThat(wrongField.err()).containsPattern("corpus\\.jsonl \\(the line at byte \\d+\\): no string field 'text'")
                .contains("fields: id, body", "--text-field");
    }

    @Test
    void parquetColumnGivesRunsIds() throws Exception {
        Path in = dir.resolve("corpus.parquet");
        List<Row> docs = new ArrayList<>();
        List<String> texts = documents();
        for (int i = 0; i < texts.size(); i++) {
            docs.add(RowFactory.create((long) i, texts.get(i)));
        }
        StructType schema = new StructType().add("n", DataTypes.LongType).add("content", DataTypes.StringType);
        spark.createDataFrame(docs, schema).coalesce(1).write().parquet(in.toString());
        Path out = dir.resolve("parquet-in-out");
        Run r = spark(ENCODE.toString(), "--input", in.toString(), "--output", out.toString(), "--text-field", "content",
                "--output-format", "txt");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve(Outputs.TXT_FILE))).isEqualTo(cliOutput);

        Run noColumn = spark(ENCODE.toString(), "--input", in.toString(), "--output", dir.resolve("pq-bad").toString());
        assertThat(noColumn.exit()).isEqualTo(2);
        assertThat(noColumn.err()).contains("no string column 'text'; its string columns: content");
    }

    @Test
    void badPipelineFailsBeforeAnyTaskWithRunsMessage() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: bad\nstages:\n  - id: tokenize\n    technique: tokenizer/bpee\n");
        TokenlabCli.Result cli = TokenlabCli.run("run", bad.toString(), "--input", corpus.toString());
        assertThat(cli.exit()).isEqualTo(2);
        long before = TASKS.started.get();
        Run r = spark(bad.toString(), "--input", corpus.toString(), "--output", dir.resolve("bad-out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(cli.err()).contains(bad + ":4:16");
        assertThat(TASKS.started.get()).isEqualTo(before);
        assertThat(dir.resolve("bad-out")).doesNotExist();
    }

    @Test
    void missingInputIsNamedBeforeAnyTask() {
        long before = TASKS.started.get();
        Path missing = dir.resolve("no-such-corpus.txt");
        Run r = spark(ENCODE.toString(), "--input", missing.toString(), "--output", dir.resolve("missing-out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("input not found: " + missing);
        Run glob = spark(ENCODE.toString(), "--input", dir.resolve("nothing-*.txt").toString(), "--output",
                dir.resolve("missing-out").toString());
        assertThat(glob.err()).contains("input not found: " + dir.resolve("nothing-*.txt"), "no file matches");
        assertThat(TASKS.started.get()).isEqualTo(before);
    }

    /** A value the checks let through and the technique refuses when it runs: the task fails naming all three. */
    @Test
    void failingDocumentIsNamedWithStageAndTechnique() {
        Run r = spark(ENCODE.toString(), "--input", corpus.toString(), "--output", dir.resolve("fail-out").toString(),
                "--set", "tokenize.vocabulary=no_such_vocabulary");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: document file:").contains("corpus.txt (the line at byte ",
                "stage 'tokenize' (tokenizer/bpe ", "'no_such_vocabulary' is neither a known name");
    }
}
