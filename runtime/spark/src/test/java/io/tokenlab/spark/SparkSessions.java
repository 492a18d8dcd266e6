package io.tokenlab.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

import java.util.concurrent.atomic.AtomicLong;

/** One local[2] session per test class, counting the tasks it starts. */
final class SparkSessions {
    private SparkSessions() {
    }

    static final class TaskCounter extends SparkListener {
        final AtomicLong started = new AtomicLong();

        @Override
        public void onTaskStart(SparkListenerTaskStart taskStart) {
            started.incrementAndGet();
        }
    }

    /**
     * @param maxSplitBytes the largest input split: small splits put one file's lines into several
     *                      tasks, so order and split boundaries are exercised
     */
    static SparkSession local2(long maxSplitBytes, TaskCounter counter) {
        SparkSession s = SparkSession.builder().master("local[2]").appName("tokenlab-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.mapreduce.input.fileinputformat.split.maxsize", String.valueOf(maxSplitBytes))
                .config("spark.sql.files.maxPartitionBytes", String.valueOf(maxSplitBytes))
                .getOrCreate();
        s.sparkContext().addSparkListener(counter);
        return s;
    }
}
