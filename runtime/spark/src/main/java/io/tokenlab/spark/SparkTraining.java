package io.tokenlab.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code tokenizer/train-superbpe} on Spark: its piece counting (every pre-tokenization the training
 * needs, in one pass) is a Spark aggregation; the merges run on the driver, in the plugin's own code
 * (its {@code CountedTraining} seam), so the tokenizer.json is the one {@code ./tokenlab run} writes
 * for the same corpus.
 */
final class SparkTraining {
    static final String TECHNIQUE = "tokenizer/train-superbpe";
    static final String SEAM = "io.tokenlab.plugin.tokenizer.trainer.CountedTraining";
    static final String OUTPUT_FILE = "tokenizer.json";
    /** Keys of the aggregation that are not pieces: the corpus's size. */
    private static final String DOCUMENTS = "\u0001documents";
    private static final String BYTES = "\u0001bytes";
    private static final char SEP = '\u0000';

    private SparkTraining() {
    }

    static boolean handles(RuntimeCalls.Checked p) {
        return p.stages() == 1 && p.firstTechnique().equals(TECHNIQUE);
    }

    /** Counts on the executors, merges here, writes DIR/tokenizer.json; returns the corpus's size. */
    static Summary train(JavaRDD<Document> docs, JobSpec spec, RuntimeCalls calls, RuntimeCalls.Checked checked,
                         String dir, Configuration conf) throws Exception {
        Class<?> seam = calls.techniqueClass(TECHNIQUE, SEAM);
        Class<?> parameters = calls.apiClass("io.tokenlab.api.Parameters");
        @SuppressWarnings("unchecked")
        List<String> phases = (List<String>) RuntimeCalls.callStatic(seam, "phases", new Class<?>[] {parameters},
                checked.firstParameters());
        List<String> phaseList = new ArrayList<>(phases);
        List<Tuple2<String, Long>> counted = docs.mapPartitions(it -> count(it, spec, phaseList))
                .mapToPair(t -> t).reduceByKey(Long::sum).collect();
        Map<String, Map<String, Long>> counts = new HashMap<>();
        long documents = 0;
        long bytes = 0;
        for (Tuple2<String, Long> t : counted) {
            if (t._1().equals(DOCUMENTS)) {
                documents = t._2();
            } else if (t._1().equals(BYTES)) {
                bytes = t._2();
            } else {
                int at = t._1().indexOf(SEP);
                counts.computeIfAbsent(t._1().substring(0, at), k -> new HashMap<>()).put(t._1().substring(at + 1), t._2());
            }
        }
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) RuntimeCalls.callStatic(seam, "train", new Class<?>[] {parameters, Map.class,
                calls.apiClass("io.tokenlab.api.Progress")}, checked.firstParameters(), counts, calls.noProgress());
        Path out = new Path(dir, OUTPUT_FILE);
        try (FSDataOutputStream s = out.getFileSystem(conf).create(out, true)) {
            s.write(calls.encode(checked.outputPort(), lines));
        }
        return new Summary(documents, bytes, 0);
    }

    /** One task's pieces, counted per phase in a map before the shuffle (a combiner). */
    private static Iterator<Tuple2<String, Long>> count(Iterator<Document> docs, JobSpec spec, List<String> phases)
            throws Exception {
        RuntimeCalls calls = ExecutorRuntime.calls(spec);
        RuntimeCalls.Checked checked = ExecutorRuntime.pipeline(spec);
        Method pieces = calls.techniqueClass(TECHNIQUE, SEAM).getMethod("pieces", String.class, String.class,
                Consumer.class);
        Map<String, long[]> counts = new HashMap<>();
        long documents = 0;
        long bytes = 0;
        List<Document> batch = new ArrayList<>();
        while (docs.hasNext() || !batch.isEmpty()) {
            if (docs.hasNext() && batch.size() < spec.batchDocs()) {
                batch.add(docs.next());
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> texts = (List<String>) PartitionEncoder.texts(calls, checked, batch);
            for (Document d : batch) {
                bytes += d.bytes();
            }
            documents += batch.size();
            batch.clear();
            for (String phase : phases) {
                String prefix = phase + SEP;
                Consumer<String> sink = p -> counts.computeIfAbsent(prefix + p, k -> new long[1])[0]++;
                for (String text : texts) {
                    pieces.invoke(null, phase, text, sink);
                }
            }
        }
        List<Tuple2<String, Long>> out = new ArrayList<>(counts.size() + 2);
        counts.forEach((k, v) -> out.add(new Tuple2<>(k, v[0])));
        out.add(new Tuple2<>(DOCUMENTS, documents));
        out.add(new Tuple2<>(BYTES, bytes));
        return out.iterator();
    }
}
