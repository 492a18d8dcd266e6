package io.tokenlab.api.testkit;

import org.junit.jupiter.api.Assertions;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * Seeded mutation fuzzing of a reader: every mutant of a valid file must, within a time bound, either
 * be read or be refused with the reader's documented error; any other throwable (a
 * NullPointerException, an index or arithmetic error, OutOfMemoryError, StackOverflowError) or a
 * hang fails the test with the seed, the case number and what was done to the file. Fixed seeds keep
 * CI repeatable; a new seed explores new cases.
 */
public final class Fuzz {
    private Fuzz() {
    }

    /** Reads one input; throws what the reader throws. */
    @FunctionalInterface
    public interface Reader {
        void read(byte[] input) throws Throwable;
    }

    /** How a run went: how many mutants were read and how many were refused with the documented error. */
    public record Report(String what, int cases, int read, int refused, long millis) {
        @Override
        public String toString() {
            return what + ": " + cases + " mutants, " + read + " read, " + refused + " refused, " + millis + " ms";
        }
    }

    /** Makes one mutant of a valid input; {@link Mutations#mutate} is the format-blind one. */
    @FunctionalInterface
    public interface Mutator {
        Mutations.Mutant mutate(byte[] valid, SplittableRandom rnd);
    }

    /**
     * @param documented whether a thrown exception is the reader's documented error (its type, and a
     *                   message that names the input)
     */
    public static Report run(String what, byte[] valid, long seed, int cases, Duration perCase, Reader reader,
                             Predicate<Throwable> documented) {
        return run(what, valid, seed, cases, perCase, Mutations::mutate, reader, documented);
    }

    /** As {@link #run(String, byte[], long, int, Duration, Reader, Predicate)}, with mutants from {@code mutator}. */
    public static Report run(String what, byte[] valid, long seed, int cases, Duration perCase, Mutator mutator,
                             Reader reader, Predicate<Throwable> documented) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int read = 0;
        int refused = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            Mutations.Mutant m = mutator.mutate(valid, rnd);
            Throwable thrown;
            try {
                thrown = Assertions.assertTimeoutPreemptively(perCase, () -> {
                    try {
                        reader.read(m.bytes());
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
            } catch (AssertionFailedError timeout) {
                throw new AssertionError(describe(what, seed, i, m) + " did not finish within " + perCase, timeout);
            }
            if (thrown == null) {
                read++;
            } else if (documented.test(thrown)) {
                refused++;
            } else {
                throw new AssertionError(describe(what, seed, i, m) + " threw " + thrown, thrown);
            }
        }
        Report r = new Report(what, cases, read, refused, (System.nanoTime() - t0) / 1_000_000);
        System.out.println("fuzz " + r);
        return r;
    }

    /** True for an exception of {@code type} whose message contains {@code name}. */
    public static Predicate<Throwable> refusal(Class<? extends Throwable> type, String name) {
        return e -> type.isInstance(e) && e.getMessage() != null && e.getMessage().contains(name);
    }

    private static String describe(String what, long seed, int i, Mutations.Mutant m) {
        byte[] b = m.bytes();
        String head = HexFormat.of().formatHex(b, 0, Math.min(b.length, 64));
        return what + " seed " + seed + " case " + i + " (" + String.join(", ", m.steps()) + "; " + b.length
                + " bytes, starting " + head + ")";
    }
}
