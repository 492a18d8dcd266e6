package io.tokenlab.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tokenlab spark PIPELINE --input PATH_OR_GLOB --output DIR}: runs a pipeline file over a data
 * set on Spark. The driver hosts the runtime first and checks the pipeline as {@code run} does (a bad
 * file stops here, before any task); the exported runtime, the plugin jars and the pipeline file are
 * shipped with the job, and every executor hosts the same runtime once. Exit codes as {@code run}'s:
 * 0 ok, 1 the job failed, 2 bad usage, input or pipeline.
 */
@Command(name = "tokenlab spark", mixinStandardHelpOptions = true, version = "tokenlab 1.0.0",
        description = "Run a pipeline file over a data set on Apache Spark (local[N], spark://..., yarn).")
public final class SparkCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PIPELINE", description = "a pipeline file, e.g. pipelines/encode.yaml")
    Path pipeline;
    @Option(names = "--input", required = true, paramLabel = "PATH_OR_GLOB",
            description = "input files (a path, a glob, or a comma-separated list; any Hadoop file system)")
    String input;
    @Option(names = "--output", required = true, paramLabel = "DIR", description = "a new or empty output folder")
    String output;
    @Option(names = "--master", paramLabel = "MASTER",
            description = "local[N], spark://HOST:PORT, yarn; default: spark-submit's, else local[*]")
    String master;
    @Option(names = "--set", paramLabel = "STAGE.PARAM=VALUE", description = "override a stage parameter")
    Map<String, String> set = new LinkedHashMap<>();
    @Option(names = "--input-format", paramLabel = "text|jsonl|parquet",
            description = "default from the name: *.jsonl/*.json jsonl, *.parquet parquet, else text (one document per line)")
    String inputFormat;
    @Option(names = "--text-field", paramLabel = "F", description = "the JSONL field or Parquet column of the text (default: text)")
    String textField = "text";
    @Option(names = "--output-format", paramLabel = "parquet|txt",
            description = "parquet (path, offset, bytes, ids array<int>; the default) or txt (exactly what ./tokenlab run writes)")
    String outputFormat = "parquet";
    @Option(names = "--batch-size", paramLabel = "N", description = "documents per pipeline call, at most (default: 8192; a call also stops at 4 MiB of text)")
    int batchDocs = 8192;
    @Option(names = "--runtime", paramLabel = "LAUNCH_JAR",
            description = "the exported runtime (default: <tokenlab home>/cnf/target/launch.jar)")
    Path launchJar;
    @Option(names = "--bundles", paramLabel = "DIR", description = "the plugin jars to ship (default: <tokenlab home>/bundles)")
    Path bundles;

    private final PrintStream out;
    private final PrintStream err;

    public SparkCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        System.exit(code);
    }

    /** Runs the command line; the Spark session it finds active is used and left running. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new SparkCommand(out, err));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("tokenlab.home", ".")).toAbsolutePath().normalize();
        Path launch = launchJar != null ? launchJar : home.resolve("cnf/target/launch.jar");
        Path pluginDir = bundles != null ? bundles : home.resolve("bundles");
        boolean txt;
        Inputs.Format format;
        List<Path> plugins;
        try {
            txt = switch (outputFormat) {
                case "txt" -> true;
                case "parquet" -> false;
                default -> throw new IllegalArgumentException("--output-format " + outputFormat
                        + " is not known; accepted: parquet, txt");
            };
            format = Inputs.Format.of(inputFormat, input);
            if (batchDocs < 1) {
                throw new IllegalArgumentException("--batch-size " + batchDocs + " must be at least 1");
            }
            if (!Files.isRegularFile(launch)) {
                throw new IOException("the exported runtime " + launch + " is missing; build it with mvn install "
                        + "(./tokenlab does on first use) or give --runtime");
            }
            if (!Files.isRegularFile(pipeline)) {
                throw new IOException("pipeline file not found: " + pipeline);
            }
            plugins = pluginJars(pluginDir);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        // the driver's own check, before a session or a task exists: a bad file stops the job here
        RuntimeCalls.Checked checked;
        try {
            RuntimeCalls calls = ExecutorRuntime.boot(launch, plugins);
            checked = calls.check(pipeline, set);
        } catch (RuntimeCalls.PipelineRejected e) {
            err.println(e.getMessage());
            return 2;
        }
        boolean training = SparkTraining.handles(checked);
        if (!training && (!checked.inputPort().equals("text") || !checked.outputPort().equals("token-ids"))) {
            err.println("error: " + pipeline + ": pipeline '" + checked.name() + "' takes " + checked.inputPort()
                    + " and gives " + checked.outputPort() + "; the Spark runner runs pipelines from text to token-ids, "
                    + "and " + SparkTraining.TECHNIQUE + " alone");
            return 2;
        }
        SparkSession spark = session();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JavaRDD<Document> docs;
        try {
            Inputs.checkExists(input, conf);
            Outputs.checkFresh(output, conf);
            docs = Inputs.read(spark, input, format, textField);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        JobSpec spec = ship(spark, launch, plugins);
        try {
            DataSets.ship(spark.sparkContext(), DataSets.named(ExecutorRuntime.boot(launch, plugins),
                    Files.readString(pipeline), set.values()));
        } catch (Exception e) {
            err.println("error: fetching the data sets the pipeline names failed: " + e.getMessage());
            return 1;
        }
        long t0 = System.nanoTime();
        Summary summary;
        try {
            summary = training ? SparkTraining.train(docs, spec, ExecutorRuntime.boot(launch, plugins), checked, output, conf)
                    : txt ? Outputs.txt(docs, spec, output, conf) : Outputs.parquet(spark, docs, spec, output);
        } catch (Exception e) {
            err.println("error: " + jobFailure(e));
            return 1;
        }
        Outputs.summary(output, summary, conf);
        out.print(summary.json());
        err.printf("tokenlab spark: %d documents, %.1f MB in %.2f s on %s%n", summary.documents(), summary.bytes() / 1e6,
                (System.nanoTime() - t0) / 1e9, spark.sparkContext().master());
        return 0;
    }

    private static List<Path> pluginJars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("the plugin folder " + dir + " is missing; build the plugins with mvn install "
                    + "or give --bundles");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The active session (spark-submit's, a test's), else one of our own for --master or local[*]. */
    private SparkSession session() {
        SparkSession active = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (active != null) {
            return active;
        }
        SparkConf conf = new SparkConf().setAppName("tokenlab " + pipeline.getFileName());
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Ships the runtime, the plugin jars and the pipeline file; tasks find them by name. */
    private JobSpec ship(SparkSession spark, Path launch, List<Path> plugins) throws IOException {
        spark.sparkContext().addFile(launch.toAbsolutePath().toString());
        List<String> names = new ArrayList<>();
        for (Path p : plugins) {
            spark.sparkContext().addFile(p.toAbsolutePath().toString());
            names.add(p.getFileName().toString());
        }
        Path shipped = shippedPipeline();
        spark.sparkContext().addFile(shipped.toString());
        return new JobSpec(launch.getFileName().toString(), names, shipped.getFileName().toString(),
                new LinkedHashMap<>(set), batchDocs, 4L << 20);
    }

    /**
     * The pipeline file under a name of its content: a session keeps the files added to it, and refuses
     * a second file of the same name (a later job of another pipeline.yaml).
     */
    private Path shippedPipeline() throws IOException {
        byte[] bytes = Files.readAllBytes(pipeline);
        String digest;
        try {
            digest = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes))
                    .substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "tokenlab-spark-pipelines"));
        Path file = dir.resolve(digest + "-" + pipeline.getFileName());
        if (!Files.exists(file)) {
            Files.write(file, bytes);
        }
        return file;
    }

    /**
     * The task failure's own message (the document, stage and technique), out of Spark's report of the
     * job it aborted; else Spark's message.
     */
    static String jobFailure(Throwable e) {
        String name = PartitionEncoder.DocumentFailure.class.getName() + ": ";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PartitionEncoder.DocumentFailure || t instanceof IllegalArgumentException) {
                return t.getMessage();
            }
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(name);
            if (at >= 0) {
                return m.substring(at + name.length()).split("\n", 2)[0];
            }
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.split("\n", 2)[0];
    }
}
