package io.tokenlab.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Writes what the pipeline made of the documents into {@code --output DIR}: {@code ids/} (Parquet:
 * path, offset, bytes, ids as array&lt;int&gt;) or {@code output.txt} (the bytes {@code ./tokenlab run}
 * writes), and {@code summary.json}.
 */
final class Outputs {
    static final String PARQUET_DIR = "ids";
    static final String TXT_FILE = "output.txt";
    static final String SUMMARY_FILE = "summary.json";
    private static final String PARTS_DIR = "_txt-parts";

    static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("offset", DataTypes.LongType, false)
            .add("bytes", DataTypes.LongType, false)
            .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);

    private Outputs() {
    }

    /** The output folder must not hold results already: a job never mixes its files with another's. */
    static void checkFresh(String dir, Configuration conf) throws IOException {
        Path p = new Path(dir);
        FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(p) && (!fs.getFileStatus(p).isDirectory() || fs.listStatus(p).length > 0)) {
            throw new IOException("--output " + dir + (fs.getFileStatus(p).isDirectory() ? " is not empty" : " is a file")
                    + "; give a new or empty folder");
        }
    }

    static Summary parquet(SparkSession spark, JavaRDD<Document> docs, JobSpec spec, String dir) {
        JavaRDD<Row> rows = docs.mapPartitions(it -> {
            PartitionEncoder enc = new PartitionEncoder(it, spec, false);
            return new FlatBatches(enc);
        });
        spark.createDataFrame(rows, SCHEMA).write().parquet(new Path(dir, PARQUET_DIR).toString());
        Row r = spark.read().parquet(new Path(dir, PARQUET_DIR).toString())
                .agg(functions.count(functions.lit(1)), functions.coalesce(functions.sum("bytes"), functions.lit(0L)),
                        functions.coalesce(functions.sum(functions.size(functions.col("ids"))), functions.lit(0L)))
                .first();
        return new Summary(r.getLong(0), r.getLong(1), r.getLong(2));
    }

    /** One Parquet row per document of each batch. */
    private static final class FlatBatches implements java.util.Iterator<Row> {
        private final PartitionEncoder batches;
        private PartitionEncoder.Batch current;
        private int i;

        FlatBatches(PartitionEncoder batches) {
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            while ((current == null || i == current.documents().size()) && batches.hasNext()) {
                current = batches.next();
                i = 0;
            }
            return current != null && i < current.documents().size();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Document d = current.documents().get(i);
            // Spark's row encoder takes an int[] as array<int> as it is, without boxing
            return RowFactory.create(d.path(), d.offset(), d.bytes(), current.ids().get(i++));
        }
    }

    /**
     * Each task writes its partition's bytes as {@code run} encodes them into a part file (a retried
     * task rewrites the same file); the driver then joins the parts in partition order, which is the
     * input's order.
     */
    static Summary txt(JavaRDD<Document> docs, JobSpec spec, String dir, Configuration conf) throws IOException {
        String parts = new Path(dir, PARTS_DIR).toString();
        List<Summary> perPartition = docs.mapPartitionsWithIndex((index, it) -> {
            PartitionEncoder enc = new PartitionEncoder(it, spec, true);
            Summary s = Summary.NONE;
            Path part = new Path(parts, String.format("part-%06d", index));
            try (FSDataOutputStream out = part.getFileSystem(new Configuration()).create(part, true)) {
                while (enc.hasNext()) {
                    PartitionEncoder.Batch b = enc.next();
                    out.write(b.txt());
                    long bytes = 0;
                    long tokens = 0;
                    for (int k = 0; k < b.documents().size(); k++) {
                        bytes += b.documents().get(k).bytes();
                        tokens += b.ids().get(k).length;
                    }
                    s = s.plus(new Summary(b.documents().size(), bytes, tokens));
                }
            }
            return List.of(s).iterator();
        }, true).collect();
        Path partsPath = new Path(parts);
        FileSystem fs = partsPath.getFileSystem(conf);
        FileStatus[] files = fs.listStatus(partsPath);
        Arrays.sort(files, Comparator.comparing(f -> f.getPath().getName()));
        try (FSDataOutputStream out = fs.create(new Path(dir, TXT_FILE), true)) {
            for (FileStatus f : files) {
                try (InputStream in = fs.open(f.getPath())) {
                    in.transferTo(out);
                }
            }
        }
        fs.delete(partsPath, true);
        Summary total = Summary.NONE;
        for (Summary s : perPartition) {
            total = total.plus(s);
        }
        return total;
    }

    static void summary(String dir, Summary s, Configuration conf) throws IOException {
        Path p = new Path(dir, SUMMARY_FILE);
        try (FSDataOutputStream out = p.getFileSystem(conf).create(p, true)) {
            out.write(s.json().getBytes(StandardCharsets.UTF_8));
        }
    }
}
