package io.tokenlab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Reads {@code --input} into documents: text (one per line), JSONL (a string field), Parquet (a string column). */
final class Inputs {
    enum Format {
        TEXT, JSONL, PARQUET;

        static Format of(String name, String input) {
            String n = name == null ? guess(input) : name.toLowerCase(Locale.ROOT);
            switch (n) {
                case "text":
                case "txt":
                    return TEXT;
                case "jsonl":
                    return JSONL;
                case "parquet":
                    return PARQUET;
                default:
                    throw new IllegalArgumentException("--input-format " + name + " is not known; accepted: text, jsonl, "
                            + "parquet");
            }
        }

        private static String guess(String input) {
            String lower = input.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".jsonl") || lower.endsWith(".json") || lower.endsWith(".jsonl.gz")) {
                return "jsonl";
            }
            return lower.endsWith(".parquet") ? "parquet" : "text";
        }
    }

    private static final String MAX_SPLIT = "mapreduce.input.fileinputformat.split.maxsize";
    private static final long MIN_SPLIT_BYTES = 1L << 20;

    private Inputs() {
    }

    private static long totalBytes(String input, Configuration conf) {
        long total = 0;
        try {
            for (String part : input.split(",")) {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(part);
                FileStatus[] found = p.getFileSystem(conf).globStatus(p);
                for (FileStatus f : found == null ? new FileStatus[0] : found) {
                    total += f.isDirectory() ? p.getFileSystem(conf).getContentSummary(f.getPath()).getLength() : f.getLen();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return total;
    }

    /** Fails naming the path when nothing matches it, before any task runs. */
    static void checkExists(String input, Configuration conf) throws IOException {
        for (String part : input.split(",")) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(part);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] found = fs.globStatus(p);
            if (found == null || found.length == 0) {
                throw new IOException("input not found: " + part + (part.contains("*") || part.contains("?")
                        ? " (no file matches the pattern)" : " (no such file or directory)"));
            }
        }
    }

    static JavaRDD<Document> read(SparkSession spark, String input, Format format, String field) {
        switch (format) {
            case TEXT:
                return lines(spark, input);
            case JSONL:
                return lines(spark, input).mapPartitions(it -> jsonField(it, field));
            case PARQUET:
                return parquet(spark, input, field);
            default:
                throw new IllegalStateException(format.toString());
        }
    }

    /**
     * Lines split at {@code \n} only, as the runtime's reader splits them (a {@code \r} before it is
     * taken off by that reader), with their raw bytes: decoding is the runtime's business.
     */
    private static JavaRDD<Document> lines(SparkSession spark, String input) {
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n");
        if (conf.get(MAX_SPLIT) == null) {
            // a file splits at its block size by default (32 MB on a local disk): 50 MB would be two tasks
            // of unequal size; four tasks per core keep every core busy to the end
            long per = totalBytes(input, conf) / (4L * spark.sparkContext().defaultParallelism());
            conf.setLong(MAX_SPLIT, Math.max(MIN_SPLIT_BYTES, per));
        }
        JavaNewHadoopRDD<LongWritable, Text> rdd = (JavaNewHadoopRDD<LongWritable, Text>) new org.apache.spark.api.java
                .JavaSparkContext(spark.sparkContext()).newAPIHadoopFile(input, TextInputFormat.class,
                        LongWritable.class, Text.class, conf);
        return rdd.mapPartitionsWithInputSplit((split, it) -> {
            String path = ((FileSplit) split).getPath().toString();
            // Hadoop reuses the Text: its bytes are copied at once
            return new LazyMap<scala.Tuple2<LongWritable, Text>, Document>(it,
                    t -> new Document(path, t._1().get(), true, t._2().copyBytes(), null));
        }, true);
    }

    private static Iterator<Document> jsonField(Iterator<Document> lines, String field) {
        ObjectMapper json = new ObjectMapper();
        return new LazyMap<Document, Document>(lines, line -> {
            String s = new String(line.raw(), java.nio.charset.StandardCharsets.UTF_8);
            if (s.isBlank()) {
                return null; // a blank line between records is no document
            }
            JsonNode node;
            try {
                node = json.readTree(s);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(line.where() + ": not a JSON object: "
                        + e.getOriginalMessage());
            }
            JsonNode value = node == null ? null : node.get(field);
            if (value == null || !value.isTextual()) {
                throw new IllegalArgumentException(line.where() + ": no string field '" + field + "'"
                        + (node != null && node.isObject() ? "; the object's fields: " + fieldNames(node) : "")
                        + "; name the field with --text-field");
            }
            return new Document(line.path(), line.offset(), true, null, value.asText());
        });
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static JavaRDD<Document> parquet(SparkSession spark, String input, String field) {
        Dataset<Row> df = spark.read().parquet(input.split(","));
        List<String> strings = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            if (f.dataType().equals(DataTypes.StringType)) {
                strings.add(f.name());
            }
        }
        if (!strings.contains(field)) {
            throw new IllegalArgumentException(input + ": no string column '" + field + "'; its string columns: "
                    + (strings.isEmpty() ? "none" : strings.stream().collect(Collectors.joining(", ")))
                    + "; name the column with --text-field");
        }
        return df.select(functions.input_file_name(), functions.col(field)).javaRDD().mapPartitions(it -> {
            long[] row = {0};
            return new LazyMap<Row, Document>(it, r -> {
                long n = row[0]++;
                if (r.isNullAt(1)) {
                    throw new IllegalArgumentException(r.getString(0) + " (row " + n + " of its split): column '"
                            + field + "' is null");
                }
                return new Document(r.getString(0), n, false, null, r.getString(1));
            });
        });
    }
}
