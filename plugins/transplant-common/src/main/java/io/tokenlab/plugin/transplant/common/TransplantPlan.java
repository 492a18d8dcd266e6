package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output table of one transplant while it is being filled. Tokens the base table already has are
 * copied first (exactly, and case-insensitively when asked), as every paper in this family does; the
 * technique then fills the {@link #remaining()} rows.
 */
public final class TransplantPlan {
    private final EmbeddingTable base;
    private final List<String> target;
    private final float[] out;
    private final int[] remaining;
    private final int copied;

    private TransplantPlan(EmbeddingTable base, List<String> target, float[] out, int[] remaining, int copied) {
        this.base = base;
        this.target = target;
        this.out = out;
        this.remaining = remaining;
        this.copied = copied;
    }

    public static TransplantPlan start(TransplantRequest request, boolean caseInsensitive) {
        if (request.base() == null || request.targetVocabulary() == null) {
            throw new TechniqueException("a transplant needs a base table and a target vocabulary");
        }
        EmbeddingTable base = request.base();
        List<String> target = request.targetVocabulary();
        int d = base.dimension();
        float[] out = new float[Math.multiplyExact(target.size(), d)];
        Map<String, Integer> folded = caseInsensitive ? foldedIndex(base) : Map.of();
        int[] remaining = new int[target.size()];
        int left = 0;
        int copied = 0;
        float[] b = base.vectors().data();
        for (int i = 0; i < target.size(); i++) {
            int row = base.indexOf(target.get(i));
            if (row < 0 && caseInsensitive) {
                row = folded.getOrDefault(fold(target.get(i)), -1);
            }
            if (row >= 0) {
                System.arraycopy(b, row * d, out, i * d, d);
                copied++;
            } else {
                remaining[left++] = i;
            }
        }
        return new TransplantPlan(base, target, out, java.util.Arrays.copyOf(remaining, left), copied);
    }

    private static Map<String, Integer> foldedIndex(EmbeddingTable base) {
        Map<String, Integer> m = new HashMap<>();
        List<String> tokens = base.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            m.putIfAbsent(fold(tokens.get(i)), i);
        }
        return m;
    }

    /**
     * Lower case of what the token says: byte-level spellings are lower-cased as text and spelled again
     * (lower-casing the spelling itself would turn the space marker 'Ġ' into 'ġ').
     */
    public static String fold(String token) {
        byte[] bytes = TokenStrings.bytesOf(token);
        if (bytes != null) {
            try {
                String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
                return TokenStrings.spell(text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            } catch (CharacterCodingException e) {
                return token;
            }
        }
        return token.toLowerCase(Locale.ROOT);
    }

    public EmbeddingTable base() {
        return base;
    }

    public List<String> target() {
        return target;
    }

    public int dimension() {
        return base.dimension();
    }

    /** Target rows that no copy filled, ascending. */
    public int[] remaining() {
        return remaining;
    }

    public int copied() {
        return copied;
    }

    public void set(int targetRow, float[] vector) {
        System.arraycopy(vector, 0, out, targetRow * dimension(), dimension());
    }

    public void set(int targetRow, double[] vector) {
        int d = dimension();
        for (int j = 0; j < d; j++) {
            out[targetRow * d + j] = (float) vector[j];
        }
    }

    /** The finished table; a non-finite value is a bug in the technique and fails loudly. */
    public EmbeddingTable finish() {
        FloatMatrix m = new FloatMatrix(target.size(), dimension(), out);
        try {
            Tables.requireFinite(m, target, "transplanted table");
        } catch (TableFormatException e) {
            throw new TechniqueException(e.getMessage(), e);
        }
        return new EmbeddingTable(target, m);
    }
}
