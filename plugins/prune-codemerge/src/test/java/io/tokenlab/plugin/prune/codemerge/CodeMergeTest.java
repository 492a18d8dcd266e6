package io.tokenlab.plugin.prune.codemerge;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CodeMergeTest extends PruneConformance {
    /** "public static String getUserName(String user_id) { return names.get(user_id); }" as byte-level BPE cuts it. */
    private static final List<String> LINE = List.of("Ġpublic", "Ġstatic", "ĠString", "Ġget", "User", "Name", "(",
            "String", "Ġuser", "_", "id", ")", "Ġ{", "Ġreturn", "Ġnames", ".", "get", "(", "user", "_", "id", ");",
            "Ġ}", "Ċ");

    @Override
    protected PruneTechnique technique() {
        return new CodeMergeTechnique();
    }

    /** Texts for the kit's 144-token sets: the line repeated (its 24 tokens, six times). */
    @Override
    protected Parameters validParameters() {
        List<String> texts = new ArrayList<>();
        while (texts.size() < 144) {
            texts.addAll(LINE);
        }
        return Parameters.of(Map.of("keep.ratio", 0.5, "token.texts", texts.subList(0, 144)));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    private static FloatMatrix random(int n, int d, long seed) {
        Random r = new Random(seed);
        FloatMatrix m = FloatMatrix.zeros(n, d);
        for (int i = 0; i < m.data().length; i++) {
            m.data()[i] = (float) r.nextGaussian();
        }
        return m;
    }

    @Test
    void mergingGetUserNameGivesTheMeanOfTheirRows() {
        FloatMatrix rows = new FloatMatrix(3, 2, new float[] {1, 10, 2, 20, 6, -3});
        IdentifierMerge.Result result = IdentifierMerge.merge(List.of("get", "User", "Name"), rows);
        assertThat(result.spans()).containsExactly(new IdentifierMerge.Span(0, 3));
        assertThat(result.features().rows()).isEqualTo(1);
        assertThat(result.features().get(0, 0)).isCloseTo(3f, within(1e-6f));
        assertThat(result.features().get(0, 1)).isCloseTo(9f, within(1e-6f));
    }

    @Test
    void spansFollowIdentifierBoundariesAndCoverEveryToken() {
        List<IdentifierMerge.Span> spans = IdentifierMerge.spans(LINE);
        List<String> units = new ArrayList<>();
        for (IdentifierMerge.Span s : spans) {
            units.add(String.join("", LINE.subList(s.start(), s.end())));
        }
        assertThat(units).containsExactly("Ġpublic", "Ġstatic", "ĠString", "ĠgetUserName", "(", "String", "Ġuser_id",
                ")", "Ġ{", "Ġreturn", "Ġnames", ".", "get", "(", "user_id", ");", "Ġ}", "Ċ");
        // round trip: spans are contiguous, in order, and expanding merged rows restores the token count
        FloatMatrix features = random(LINE.size(), 5, 1);
        IdentifierMerge.Result merged = IdentifierMerge.merge(LINE, features);
        int next = 0;
        int expanded = 0;
        for (int s = 0; s < merged.spans().size(); s++) {
            IdentifierMerge.Span span = merged.spans().get(s);
            assertThat(span.start()).isEqualTo(next);
            assertThat(span.end()).isGreaterThan(span.start());
            next = span.end();
            expanded += span.length();
            if (span.length() == 1) {
                assertThat(merged.features().rowCopy(s)).containsExactly(features.rowCopy(span.start()));
            }
        }
        assertThat(next).isEqualTo(LINE.size());
        assertThat(expanded).isEqualTo(features.rows());
    }

    @Test
    void keepsOneRepresentativePerIdentifierThenFillsByNorm() {
        FloatMatrix features = random(LINE.size(), 6, 2);
        List<IdentifierMerge.Span> spans = IdentifierMerge.spans(LINE);
        int units = spans.size();
        Parameters texts = Parameters.of(Map.of("token.texts", LINE));
        int[] firsts = spans.stream().mapToInt(IdentifierMerge.Span::start).toArray();
        assertThat(technique().select(TokenSet.of(features), units, texts, context())).containsExactly(firsts);
        // one more token: the non-first sub-token with the largest norm
        int[] plusOne = technique().select(TokenSet.of(features), units + 1, texts, context());
        int extra = -1;
        double best = -1;
        for (int i = 0; i < LINE.size(); i++) {
            final int token = i;
            if (spans.stream().noneMatch(s -> s.start() == token)) {
                double norm = 0;
                for (float v : features.rowCopy(i)) {
                    norm += v * v;
                }
                if (norm > best) {
                    best = norm;
                    extra = i;
                }
            }
        }
        assertThat(plusOne).contains(firsts).contains(extra);
        // fewer than the units: the representatives of the largest merged vectors
        FloatMatrix boosted = features.copy();
        for (int j = 0; j < 6; j++) {
            boosted.set(4, j, 50f); // "User" inside getUserName lifts the merged norm of that identifier
        }
        assertThat(technique().select(TokenSet.of(boosted), 1, texts, context())).containsExactly(3);
    }

    @Test
    void badInputIsAClearError() {
        FloatMatrix features = random(LINE.size(), 4, 3);
        Parameters texts = Parameters.of(Map.of("token.texts", LINE));
        assertThatThrownBy(() -> technique().select(TokenSet.of(features), 3, Parameters.empty(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("needs token.texts");
        assertThatThrownBy(() -> technique().select(TokenSet.of(random(10, 4, 4)), 3, texts, context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("24 token texts for 10 feature rows");
        assertThatThrownBy(() -> technique().select(TokenSet.of(features), 3, texts.with("keep.ratio", -0.5), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        FloatMatrix nan = features.copy();
        nan.set(7, 2, Float.NaN);
        assertThatThrownBy(() -> technique().select(TokenSet.of(nan), 3, texts, context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("(7, 2)");
        assertThatThrownBy(() -> IdentifierMerge.merge(List.of("a", ""), random(2, 2, 5)))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("token 1 has no text");
    }
}
