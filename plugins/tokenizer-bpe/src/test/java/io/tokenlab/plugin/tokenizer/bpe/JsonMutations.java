package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.testkit.Mutations;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutations that keep a JSON file valid JSON: values (scalars, and now and then whole objects or
 * arrays) replaced by values of another type or out of range. Byte-level damage almost always
 * breaks the syntax first; these reach the checks behind the parser (ids, lists, types, references).
 */
final class JsonMutations {
    private static final String[] HOSTILE = {"-1", "0", "2147483647", "2147483648", "-2147483648", "4000000000",
        "99999999999999999999", "1e30", "-0.5", "null", "true", "false", "\"\"", "\"x\"", "\" \"", "\"\\u0000\"",
        "\"<0x0G>\"", "\"a b c\"", "[]", "{}", "[1,2,3]", "[\"a\"]", "[\"a\",\"b\"]", "{\"type\":\"Sequence\"}",
        "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(\"},\"behavior\":\"Isolated\"}", "{\"type\":\"BPE\"}",
        "\"" + "a".repeat(300) + "\""};

    /**
     * Where each value is in the file, as byte ranges: the bulk (model.vocab, model.merges) apart from
     * the rest, so that the small configuration parts get their share of the damage.
     */
    private final List<int[]> bulk = new ArrayList<>();
    private final List<int[]> scalars = new ArrayList<>();
    private final List<int[]> containers = new ArrayList<>();

    JsonMutations(byte[] json) {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            Deque<Integer> open = new ArrayDeque<>();
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                boolean inBulk = inBulk(p);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    open.push(start);
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    int[] range = {open.pop(), (int) p.currentLocation().getByteOffset()};
                    (inBulk ? bulk : containers).add(range);
                } else if (t.isScalarValue()) {
                    p.getText(); // finishes the token, so that the location is after it
                    (inBulk ? bulk : scalars).add(new int[] {start, (int) p.currentLocation().getByteOffset()});
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the valid file must be valid JSON", e);
        }
    }

    /** Inside model.vocab or model.merges: the model object's context, naming vocab or merges, is on the path. */
    private static boolean inBulk(JsonParser p) {
        for (JsonStreamContext c = p.getParsingContext(); c != null && c.getParent() != null; c = c.getParent()) {
            JsonStreamContext top = c.getParent();
            if (c.inObject() && top.inObject() && "model".equals(top.getCurrentName()) && top.getParent() != null
                    && top.getParent().inRoot() && ("vocab".equals(c.getCurrentName())
                    || "merges".equals(c.getCurrentName()))) {
                return true;
            }
        }
        return false;
    }

    Mutations.Mutant mutate(byte[] valid, SplittableRandom rnd) {
        List<int[]> picks = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(8);
            List<int[]> from = kind == 0 && !containers.isEmpty() ? containers : kind < 4 && !bulk.isEmpty() ? bulk : scalars;
            int[] range = from.get(rnd.nextInt(from.size()));
            if (picks.stream().noneMatch(r -> r[0] < range[1] && range[0] < r[1])) {
                picks.add(new int[] {range[0], range[1], rnd.nextInt(HOSTILE.length)});
            }
        }
        picks.sort(Comparator.comparingInt((int[] r) -> r[0]));
        ByteArrayOutputStream out = new ByteArrayOutputStream(valid.length + 512);
        int at = 0;
        for (int[] r : picks) {
            out.write(valid, at, r[0] - at);
            String value = HOSTILE[r[2]];
            out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
            String was = new String(valid, r[0], Math.min(r[1] - r[0], 40), StandardCharsets.UTF_8);
            steps.add("value at byte " + r[0] + " (" + was + (r[1] - r[0] > 40 ? "..." : "") + ") -> "
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value));
            at = r[1];
        }
        out.write(valid, at, valid.length - at);
        return new Mutations.Mutant(out.toByteArray(), List.copyOf(steps));
    }
}
