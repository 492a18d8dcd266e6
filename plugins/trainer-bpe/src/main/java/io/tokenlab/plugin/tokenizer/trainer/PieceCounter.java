package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.TechniqueException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Counts the pre-tokenized pieces of a corpus on several threads. The corpus is streamed in
 * batches through a small bounded queue, so memory holds only the distinct pieces and their counts
 * (which grow with the corpus's vocabulary, not its size) plus a few batches in flight.
 */
final class PieceCounter {
    private static final int BATCH_CHARS = 1 << 20;
    private static final List<String> END = new ArrayList<>();

    private PieceCounter() {
    }

    /** Distinct pieces and how often each occurs; the same result for any number of threads. */
    static Map<String, long[]> count(Iterable<String> texts, PreTokenization pre, int threads, Progress progress) {
        int workers = Math.max(1, threads);
        BlockingQueue<List<String>> queue = new ArrayBlockingQueue<>(workers * 2);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "bpe-trainer-counter");
            t.setDaemon(true);
            return t;
        });
        List<Future<Map<String, long[]>>> results = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            results.add(pool.submit(() -> countBatches(queue, pre, progress)));
        }
        try {
            List<String> batch = new ArrayList<>();
            long chars = 0;
            for (String text : texts) {
                batch.add(text);
                chars += text.length();
                if (chars >= BATCH_CHARS) {
                    queue.put(batch);
                    batch = new ArrayList<>();
                    chars = 0;
                }
            }
            if (!batch.isEmpty()) {
                queue.put(batch);
            }
            for (int w = 0; w < workers; w++) {
                queue.put(END);
            }
            Map<String, long[]> total = null;
            for (Future<Map<String, long[]>> f : results) {
                Map<String, long[]> part = f.get();
                if (total == null || part.size() > total.size()) {
                    Map<String, long[]> smaller = total;
                    total = part;
                    part = smaller == null ? Map.of() : smaller;
                }
                for (Map.Entry<String, long[]> e : part.entrySet()) {
                    long[] c = total.get(e.getKey());
                    if (c == null) {
                        total.put(e.getKey(), e.getValue());
                    } else {
                        c[0] += e.getValue()[0];
                    }
                }
            }
            return total;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TechniqueException("interrupted while counting the corpus", e);
        } catch (ExecutionException e) {
            throw new TechniqueException("counting the corpus failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, long[]> countBatches(BlockingQueue<List<String>> queue, PreTokenization pre,
                                                    Progress progress) throws InterruptedException {
        Map<String, long[]> counts = new HashMap<>();
        while (true) {
            List<String> batch = queue.take();
            if (batch == END) {
                return counts;
            }
            long chars = 0;
            for (String text : batch) {
                pre.split(text, piece -> {
                    long[] c = counts.get(piece);
                    if (c == null) {
                        counts.put(piece, new long[] {1});
                    } else {
                        c[0]++;
                    }
                });
                chars += text.length();
            }
            progress.advance(chars);
        }
    }
}
