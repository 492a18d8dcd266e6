package io.tokenlab.runtime.compute.vector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/** Runs a row loop on the shared pool in one contiguous range per worker when the call is big enough. */
final class RowRanges {
    /** Elements below which a row loop stays on the calling thread. */
    static final long PARALLEL_ELEMENTS = 1L << 16;

    @FunctionalInterface
    interface RowRange {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;

    RowRanges(ForkJoinPool pool) {
        this.pool = pool;
    }

    void forEach(int rows, long elementsPerRow, RowRange body) {
        int threads = pool.getParallelism();
        if (threads < 2 || rows < 2 || rows * Math.max(1, elementsPerRow) < PARALLEL_ELEMENTS) {
            body.run(0, rows);
            return;
        }
        int chunks = Math.min(rows, threads * 4);
        int per = (rows + chunks - 1) / chunks;
        List<Future<?>> futures = new ArrayList<>();
        for (int from = 0; from < rows; from += per) {
            int start = from;
            int end = Math.min(rows, from + per);
            futures.add(pool.submit(() -> body.run(start, end)));
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("row worker failed", cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
