package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.Progress;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Trains an {@link NgramModel} on documents: tokenizes them in batches (on several threads), joins
 * them into one stream separated by the vocabulary's end-of-text token as GPT-2 was trained (so the
 * model learns where documents end and how they start), and counts in bounded memory.
 */
public final class NgramTrainer {
    /** End-of-text tokens of common vocabularies, in order of preference. */
    private static final List<String> END_TOKENS = List.of("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|im_end|>");
    private static final Pattern MARKUP = Pattern.compile("<[^>]{0,400}>");
    private static final long BATCH_CHARS = 1 << 20;

    private final Tokenizer tokenizer;
    private final String tokenizerId;
    private final int order;
    private final long maxNgrams;
    private final int threads;

    public NgramTrainer(Tokenizer tokenizer, String tokenizerId, int order, long maxNgrams, int threads) {
        this.tokenizer = tokenizer;
        this.tokenizerId = tokenizerId;
        this.order = order;
        this.maxNgrams = maxNgrams;
        this.threads = Math.max(1, threads);
    }

    /** What a training run did, for the user. */
    public record Report(NgramModel model, long bytes, long prunedNgrams, boolean truncated, double seconds) {
    }

    /** The id of the vocabulary's end-of-text token, or -1 if it has none. */
    public static int endToken(Tokenizer tokenizer) {
        Set<String> specials = tokenizer.specialTokens();
        for (String name : END_TOKENS) {
            if (specials.contains(name)) {
                int[] ids = tokenizer.encode(name, Set.of(name));
                if (ids.length == 1) {
                    return ids[0];
                }
            }
        }
        return -1;
    }

    /** The text files of a corpus (a file, or every regular file below a directory), in a stable order. */
    public static List<Path> corpusFiles(Path corpus) throws IOException {
        if (Files.isRegularFile(corpus)) {
            return List.of(corpus);
        }
        try (Stream<Path> s = Files.walk(corpus)) {
            return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }

    /** Reads a document as text; markup files lose their tags so the model learns the prose. */
    public static String readDocument(Path file, long maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, maxBytes)));
        }
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        String name = file.getFileName().toString();
        if (name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".xml")) {
            text = MARKUP.matcher(text).replaceAll(" ").replaceAll("[ \\t]+", " ");
        }
        return text;
    }

    /** Trains on the files, up to {@code maxBytes} of their bytes. */
    public Report trainOnFiles(List<Path> files, long maxBytes, Progress progress) {
        long start = System.nanoTime();
        NgramCounter counter = new NgramCounter(order, tokenizer.vocabularySize(), maxNgrams);
        int end = endToken(tokenizer);
        long budget = maxBytes;
        for (Path f : files) {
            try {
                budget -= Math.min(budget, Files.size(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long total = maxBytes - budget;
        progress.begin("training a " + order + "-gram model on " + total / 1_000_000 + " MB", total);
        long used = 0;
        try {
            List<String> batch = new ArrayList<>();
            long batchChars = 0;
            for (Path f : files) {
                if (used >= maxBytes || counter.truncated()) {
                    break;
                }
                long size = Math.min(Files.size(f), maxBytes - used);
                String text = readDocument(f, size);
                used += size;
                progress.advance(size);
                batch.add(text);
                batchChars += text.length();
                if (batchChars >= BATCH_CHARS) {
                    count(counter, batch, end);
                    batch.clear();
                    batchChars = 0;
                }
            }
            count(counter, batch, end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            progress.end();
        }
        NgramModel model = counter.build(tokenizerId);
        return new Report(model, used, counter.prunedNgrams(), counter.truncated(), (System.nanoTime() - start) / 1e9);
    }

    /** Trains on documents given as text (tests, small corpora). */
    public NgramModel trainOnTexts(List<String> documents) {
        NgramCounter counter = new NgramCounter(order, tokenizer.vocabularySize(), maxNgrams);
        count(counter, documents, endToken(tokenizer));
        return counter.build(tokenizerId);
    }

    /** Special-token text in a corpus is an error for the tokenizer; in training text it is noise. */
    private String withoutSpecialTokens(String text) {
        for (String special : tokenizer.specialTokens()) {
            if (text.contains(special)) {
                text = text.replace(special, "");
            }
        }
        return text;
    }

    private void count(NgramCounter counter, List<String> documents, int end) {
        if (documents.isEmpty()) {
            return;
        }
        List<String> plain = new ArrayList<>(documents.size());
        for (String d : documents) {
            plain.add(withoutSpecialTokens(d));
        }
        List<int[]> encoded = tokenizer.encodeBatch(plain, threads);
        for (int[] ids : encoded) {
            counter.accept(ids);
            if (end >= 0) {
                counter.accept(new int[] {end});
            }
        }
    }
}
