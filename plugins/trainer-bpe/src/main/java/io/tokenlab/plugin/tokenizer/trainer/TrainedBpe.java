package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trained byte-level BPE vocabulary as a tokenizer: the text is cut by the trainer's
 * pre-tokenization, each piece's UTF-8 bytes are merged lowest rank first, and special tokens
 * follow the merged tokens. Encodes exactly as Hugging Face tokenizers
 * does with the tokenizer.json the trainer writes.
 */
final class TrainedBpe implements Tokenizer {
    private static final int CACHE_LIMIT = 200_000;

    private final List<byte[]> tokens;
    private final List<int[]> merges;
    private final PreTokenization preTokenization;
    private final Map<String, Integer> specials;
    private final int specialsBase;
    private final Map<Character, List<String>> specialsByFirstChar = new java.util.HashMap<>();
    private final LongIntMap rankOfPair;
    private final List<String> specialList;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * @param tokens   bytes of every id from 0 (the 256 single bytes, then one per merge)
     * @param merges   the merges in rank order, each {left, right, result}
     * @param specials special tokens, taking the ids after the merged tokens
     */
    TrainedBpe(List<byte[]> tokens, List<int[]> merges, PreTokenization preTokenization, List<String> specials) {
        this.tokens = List.copyOf(tokens);
        this.merges = List.copyOf(merges);
        this.preTokenization = preTokenization;
        this.specialsBase = tokens.size();
        Map<String, Integer> s = new LinkedHashMap<>();
        for (String special : specials) {
            if (special.isEmpty()) {
                throw new TechniqueException("a special token cannot be empty");
            }
            s.put(special, specialsBase + s.size());
            specialsByFirstChar.computeIfAbsent(special.charAt(0), c -> new ArrayList<>()).add(special);
        }
        this.specials = Collections.unmodifiableMap(s);
        this.specialList = List.copyOf(s.keySet());
        this.rankOfPair = new LongIntMap(merges.size() + 16);
        for (int i = 0; i < merges.size(); i++) {
            rankOfPair.put(LongIntMap.pair(merges.get(i)[0], merges.get(i)[1]), i);
        }
    }

    List<byte[]> tokens() {
        return tokens;
    }

    List<int[]> merges() {
        return merges;
    }

    PreTokenization preTokenization() {
        return preTokenization;
    }

    Map<String, Integer> specialIds() {
        return specials;
    }

    @Override
    public int vocabularySize() {
        return specialsBase + specials.size();
    }

    @Override
    public Set<String> specialTokens() {
        return specials.keySet();
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        return encodeWithOffsets(text, allowedSpecial).ids();
    }

    @Override
    public int count(String text) {
        return encode(text).length;
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        IntBuffer ids = new IntBuffer();
        IntBuffer starts = new IntBuffer();
        IntBuffer ends = new IntBuffer();
        int from = 0;
        while (from < text.length()) {
            int specialAt = text.length();
            String special = null;
            for (int i = from; i < text.length() && special == null; i++) {
                List<String> candidates = specialsByFirstChar.get(text.charAt(i));
                if (candidates != null) {
                    for (String s : candidates) {
                        // the longest special starting here wins, as in Hugging Face's added-token matching
                        if (text.startsWith(s, i) && (special == null || s.length() > special.length())) {
                            special = s;
                            specialAt = i;
                        }
                    }
                }
            }
            if (special != null && !allowedSpecial.contains(special)) {
                throw new TechniqueException("special token '" + special + "' at character " + specialAt
                        + " is not allowed; allow it explicitly or remove it from the input");
            }
            encodeOrdinary(text, from, specialAt, ids, starts, ends);
            if (special == null) {
                break;
            }
            ids.add(specials.get(special));
            starts.add(specialAt);
            ends.add(specialAt + special.length());
            from = specialAt + special.length();
        }
        return new Encoding(ids.toArray(), starts.toArray(), ends.toArray());
    }

    private void encodeOrdinary(String text, int from, int to, IntBuffer ids, IntBuffer starts, IntBuffer ends) {
        if (from >= to) {
            return;
        }
        int pieceStart = from;
        for (int pieceEnd : preTokenization.pieceEnds(text, from, to)) {
            String piece = text.substring(pieceStart, pieceEnd);
            int[] pieceIds = encodePiece(piece);
            // the UTF-16 span of the character each byte belongs to; a token covers whole characters
            int[][] spans = characterSpansOfBytes(piece);
            int byteIndex = 0;
            for (int id : pieceIds) {
                int length = tokens.get(id).length;
                ids.add(id);
                starts.add(pieceStart + spans[0][byteIndex]);
                ends.add(pieceStart + spans[1][byteIndex + length - 1]);
                byteIndex += length;
            }
            pieceStart = pieceEnd;
        }
    }

    /** For each UTF-8 byte of {@code piece}: [0] start and [1] end (UTF-16) of its character. */
    private static int[][] characterSpansOfBytes(String piece) {
        int[] start = new int[piece.length() * 3];
        int[] end = new int[start.length];
        int b = 0;
        for (int i = 0; i < piece.length(); ) {
            int cp = piece.codePointAt(i);
            int chars = Character.charCount(cp);
            int bytes;
            if (cp < 0x80) {
                bytes = 1;
            } else if (cp < 0x800) {
                bytes = 2;
            } else if (cp < 0x10000) {
                bytes = 3; // includes a lone surrogate, which UTF-8 encoding turns into U+FFFD
            } else {
                bytes = 4;
            }
            for (int k = 0; k < bytes; k++) {
                start[b] = i;
                end[b] = i + chars;
                b++;
            }
            i += chars;
        }
        return new int[][] {start, end};
    }

    /** The ids of one pre-tokenized piece. */
    int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) {
            return cached;
        }
        byte[] bytes = piece.getBytes(StandardCharsets.UTF_8);
        int[] ids = mergeBytes(bytes);
        if (cache.size() > CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(piece, ids);
        return ids;
    }

    /** Applies the merges to raw bytes, lowest rank first; equal ranks go left to right. */
    int[] mergeBytes(byte[] bytes) {
        int[] symbols = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            symbols[i] = bytes[i] & 0xff;
        }
        return applyMerges(symbols, Integer.MAX_VALUE);
    }

    /**
     * Applies merges of rank below {@code rankLimit} to a symbol sequence: always the lowest-ranked
     * pair present, the leftmost of equal ones, as Hugging Face's BPE model does. A min-heap of
     * (rank, position) over a linked list keeps long pieces (SuperBPE's multi-word chunks)
     * O(n log n).
     */
    int[] applyMerges(int[] symbols, int rankLimit) {
        int n = symbols.length;
        if (n < 2) {
            return symbols.clone();
        }
        int[] s = symbols.clone();
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        long[] heap = new long[n];
        int size = 0;
        for (int i = 0; i + 1 < n; i++) {
            int r = rankOfPair.get(LongIntMap.pair(s[i], s[i + 1]), Integer.MAX_VALUE);
            if (r < rankLimit) {
                size = heapPush(heap, size, ((long) r << 32) | i);
            }
        }
        boolean[] removed = new boolean[n];
        while (size > 0) {
            long top = heap[0];
            size = heapPop(heap, size);
            int r = (int) (top >>> 32);
            int i = (int) top;
            int j = removed[i] ? -1 : next[i];
            if (j < 0 || rankOfPair.get(LongIntMap.pair(s[i], s[j]), Integer.MAX_VALUE) != r) {
                continue; // stale: one side was merged away since this entry was queued
            }
            s[i] = merges.get(r)[2];
            removed[j] = true;
            next[i] = next[j];
            if (next[j] >= 0) {
                prev[next[j]] = i;
            }
            if (prev[i] >= 0) {
                int rp = rankOfPair.get(LongIntMap.pair(s[prev[i]], s[i]), Integer.MAX_VALUE);
                if (rp < rankLimit) {
                    if (size == heap.length) {
                        heap = Arrays.copyOf(heap, size * 2);
                    }
                    size = heapPush(heap, size, ((long) rp << 32) | prev[i]);
                }
            }
            if (next[i] >= 0) {
                int rn = rankOfPair.get(LongIntMap.pair(s[i], s[next[i]]), Integer.MAX_VALUE);
                if (rn < rankLimit) {
                    if (size == heap.length) {
                        heap = Arrays.copyOf(heap, size * 2);
                    }
                    size = heapPush(heap, size, ((long) rn << 32) | i);
                }
            }
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) {
            out[k++] = s[i];
        }
        return Arrays.copyOf(out, k);
    }

    private static int heapPush(long[] heap, int size, long v) {
        int i = size;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= v) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = v;
        return size + 1;
    }

    private static int heapPop(long[] heap, int size) {
        size--;
        long v = heap[size];
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && heap[c + 1] < heap[c]) {
                c++;
            }
            if (heap[c] >= v) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        if (size > 0) {
            heap[i] = v;
        }
        return size;
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            out.writeBytes(tokenBytes(id));
        }
        return out.toByteArray();
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id >= 0 && id < tokens.size()) {
            return tokens.get(id);
        }
        if (id >= specialsBase && id < vocabularySize()) {
            return specialList.get(id - specialsBase).getBytes(StandardCharsets.UTF_8);
        }
        throw new TechniqueException("token id " + id + " is outside the vocabulary [0, " + vocabularySize() + ")");
    }

    /** Growable int array for the encoder's outputs. */
    static final class IntBuffer {
        private int[] data = new int[64];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
