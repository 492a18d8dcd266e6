package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
 * A corpus split as the n-gram model reads it: its files in sorted order, the first
 * {@code trainBytes} bytes for training (the last file cut at the budget), the files after them
 * for held-out evaluation. Both models of a comparison thus train on the same bytes and are scored
 * on text neither has seen. Each document is encoded and starts with the start token.
 */
record TrainingCorpus(int[][] training, int[][] heldOut, long trainingBytes, long heldOutBytes) {
    private static final Pattern MARKUP = Pattern.compile("<[^>]{0,400}>");
    static final List<String> END_TOKENS = List.of("<|endoftext|>", "</s>", "<|end_of_text|>", "<eos>", "<|im_end|>");

    static TrainingCorpus read(Path corpus, Tokenizer tokenizer, int start, long trainBytes, long heldOutBytes)
            throws IOException {
        List<Path> files;
        if (Files.isRegularFile(corpus)) {
            files = List.of(corpus);
        } else {
            try (Stream<Path> s = Files.walk(corpus)) {
                files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
            }
        }
        List<int[]> train = new ArrayList<>();
        List<int[]> held = new ArrayList<>();
        long used = 0;
        long heldUsed = 0;
        for (Path f : files) {
            if (used < trainBytes) {
                long size = Math.min(Files.size(f), trainBytes - used);
                train.add(encode(tokenizer, start, readText(f, size)));
                used += size;
            } else if (heldUsed < heldOutBytes) {
                long size = Math.min(Files.size(f), heldOutBytes - heldUsed);
                held.add(encode(tokenizer, start, readText(f, size)));
                heldUsed += size;
            } else {
                break;
            }
        }
        if (train.isEmpty()) {
            throw new IOException(corpus + ": no text to train on");
        }
        return new TrainingCorpus(train.toArray(new int[0][]), held.toArray(new int[0][]), used, heldUsed);
    }

    /** The vocabulary's end-of-text token, which starts every document, or 0 when it has none. */
    static int startToken(Tokenizer tokenizer) {
        Set<String> specials = tokenizer.specialTokens();
        for (String name : END_TOKENS) {
            if (specials.contains(name)) {
                int[] ids = tokenizer.encode(name, Set.of(name));
                if (ids.length == 1) {
                    return ids[0];
                }
            }
        }
        return 0;
    }

    private static int[] encode(Tokenizer tokenizer, int start, String text) {
        int[] ids = tokenizer.encode(text);
        int[] out = new int[ids.length + 1];
        out[0] = start;
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    private static String readText(Path file, long maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes));
        }
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        String name = file.getFileName().toString();
        if (name.endsWith(".html") || name.endsWith(".htm") || name.endsWith(".xml")) {
            text = MARKUP.matcher(text).replaceAll(" ").replaceAll("[ \\t]+", " ");
        }
        return text;
    }
}
