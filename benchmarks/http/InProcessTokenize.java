import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process side of benchmarks/http-load.sh: the same work as one HTTP request (count the tokens
 * of the same text with tokenizer/bpe on cl100k_base), called directly on THREADS threads for SECONDS.
 * Prints calls per second. Usage: InProcessTokenize VOCABULARY_FILE TEXT_FILE THREADS SECONDS
 */
public final class InProcessTokenize {
    public static void main(String[] args) throws Exception {
        Tokenizer t = BpeTechnique.openFile("cl100k_base", Path.of(args[0]), Set.of());
        String text = Files.readString(Path.of(args[1]));
        int threads = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            t.count(text);
        }
        LongAdder calls = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread w = new Thread(() -> {
                long sink = 0;
                while (!stop.get()) {
                    sink += t.count(text);
                    calls.increment();
                }
                if (sink == 42) {
                    System.out.print(""); // keeps the loop from being optimised away
                }
            });
            w.start();
            workers.add(w);
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000);
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%.1f%n", calls.sum() / s);
    }
}
