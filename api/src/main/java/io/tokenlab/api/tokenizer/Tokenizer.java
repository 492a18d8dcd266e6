package io.tokenlab.api.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An opened tokenizer: text to ids and back. Implementations are immutable and safe to use from
 * many threads at once.
 *
 * <p>Special tokens in the input text are an error unless allowed explicitly (as in tiktoken):
 * {@link #encode(String)} allows none and fails naming the first special token it finds.
 */
public interface Tokenizer {
    /** Number of ids, including special tokens. */
    int vocabularySize();

    /** The special tokens this vocabulary knows, by their text. */
    Set<String> specialTokens();

    /** Encodes text; special-token text in the input is an error naming it. */
    default int[] encode(String text) {
        return encode(text, Set.of());
    }

    /** Encodes text, treating the given special tokens (by text) as special ids. */
    int[] encode(String text, Set<String> allowedSpecial);

    /** Ids with the UTF-16 character span of each token in the input. */
    Encoding encodeWithOffsets(String text, Set<String> allowedSpecial);

    /** Number of tokens {@link #encode(String)} would return, without materialising them where possible. */
    default int count(String text) {
        return encode(text).length;
    }

    /** Encodes many texts on up to {@code threads} threads; results in input order. */
    default List<int[]> encodeBatch(List<String> texts, int threads) {
        if (threads <= 1 || texts.size() < 2) {
            List<int[]> out = new ArrayList<>(texts.size());
            for (String t : texts) {
                out.add(encode(t));
            }
            return out;
        }
        // contiguous runs of texts, a few per thread so that uneven lengths even out, each encoded in order
        // into its own slots: a task per text would cost more than encoding a short line
        int[][] out = new int[texts.size()][];
        int chunks = Math.min(texts.size(), threads * 8);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, chunks));
        try {
            List<Future<?>> futures = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                int from = (int) ((long) texts.size() * c / chunks);
                int to = (int) ((long) texts.size() * (c + 1) / chunks);
                futures.add(pool.submit(() -> {
                    for (int i = from; i < to; i++) {
                        out[i] = encode(texts.get(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return java.util.Arrays.asList(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("batch encoding interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The bytes the ids stand for (exact, even when they are not valid UTF-8). */
    byte[] decodeBytes(int[] ids);

    /** The text the ids stand for; invalid UTF-8 becomes U+FFFD, as in tiktoken and HF tokenizers. */
    default String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The bytes of one token. */
    default byte[] tokenBytes(int id) {
        return decodeBytes(new int[] {id});
    }
}
