package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A tokenizer over one {@link TextPipeline}: added tokens first (on the raw text), then per
 * ordinary segment normalizer, pre-tokenizer and model; the post-processor's tokens around the
 * whole when asked. Offsets are UTF-16 spans of the caller's text; post-processor tokens get the
 * empty span at 0, as in Hugging Face.
 */
final class PipelineTokenizer implements Tokenizer {
    private final TextPipeline pipeline;
    private final Set<String> defaultAllowedSpecial;
    private final boolean addSpecialTokens;

    PipelineTokenizer(TextPipeline pipeline, Set<String> defaultAllowedSpecial, boolean addSpecialTokens) {
        this.pipeline = pipeline;
        this.defaultAllowedSpecial = Set.copyOf(defaultAllowedSpecial);
        this.addSpecialTokens = addSpecialTokens;
    }

    @Override
    public int vocabularySize() {
        return pipeline.tokens().length;
    }

    @Override
    public Set<String> specialTokens() {
        Set<String> out = new LinkedHashSet<>();
        for (AddedTokens tokens : new AddedTokens[] {pipeline.addedTokens(), pipeline.normalizedTokens()}) {
            for (String t : tokens.ids().keySet()) {
                if (tokens.isSpecial(t)) {
                    out.add(t);
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public int[] encode(String text) {
        return encode(text, defaultAllowedSpecial);
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        Run run = new Run(text, allowedSpecial, false);
        run.encode();
        return run.ids.toArray();
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        Run run = new Run(text, allowedSpecial, true);
        run.encode();
        return new Encoding(run.ids.toArray(), run.starts.toArray(), run.ends.toArray());
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        String[] tokens = pipeline.tokens();
        List<String> strings = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= tokens.length || tokens[id] == null) {
                throw new TechniqueException("token id " + id + " is not in the vocabulary " + pipeline.source()
                        + " (0.." + (tokens.length - 1) + ")");
            }
            strings.add(tokens[id]);
        }
        return String.join("", pipeline.decoder().decode(strings)).getBytes(StandardCharsets.UTF_8);
    }

    /** The token's own string as the decoder makes it alone (no spaces a neighbour would add). */
    @Override
    public byte[] tokenBytes(int id) {
        return decodeBytes(new int[] {id});
    }

    /** One encode call with its output, confined to the calling thread. */
    private final class Run {
        final String text;
        final Set<String> allowed;
        final boolean withOffsets;
        final IntList ids;
        final IntList starts;
        final IntList ends;
        final IntList pieceStarts;
        final IntList pieceEnds;
        final List<Normalizer.Result> pieces = new ArrayList<>();

        Run(String text, Set<String> allowed, boolean withOffsets) {
            this.text = text;
            this.allowed = allowed;
            this.withOffsets = withOffsets;
            this.ids = new IntList(text.length() / 3 + 8);
            this.starts = withOffsets ? new IntList(text.length() / 3 + 8) : null;
            this.ends = withOffsets ? new IntList(text.length() / 3 + 8) : null;
            this.pieceStarts = withOffsets ? new IntList(16) : null;
            this.pieceEnds = withOffsets ? new IntList(16) : null;
        }

        void encode() {
            if (addSpecialTokens) {
                special(pipeline.prefixIds());
            }
            AddedTokenSplit.split(pipeline.addedTokens(), text, new AddedTokenSplit.Sink() {
                @Override
                public void ordinary(int from, int to) {
                    Run.this.ordinary(from, to);
                }

                @Override
                public void token(String token, int from, int to) {
                    added(pipeline.addedTokens(), token, from, to, from);
                }
            });
            if (addSpecialTokens) {
                special(pipeline.suffixIds());
            }
        }

        private void added(AddedTokens tokens, String token, int start, int end, int at) {
            if (tokens.isSpecial(token) && !allowed.contains(token)) {
                throw new TechniqueException("the text contains the special token " + token
                        + " at character " + at + ", which is not allowed; allow it explicitly "
                        + "(parameter allowed.special) or remove it from the text");
            }
            ids.add(tokens.idOf(token));
            if (withOffsets) {
                starts.add(start);
                ends.add(end);
            }
        }

        private void special(int[] specialIds) {
            for (int id : specialIds) {
                ids.add(id);
                if (withOffsets) {
                    starts.add(0);
                    ends.add(0);
                }
            }
        }

        private void ordinary(int from, int to) {
            if (to <= from) {
                return;
            }
            String segment = text.substring(from, to);
            Normalizer.Result normalized = pipeline.normalizer() == null ? Normalizer.Result.identity(segment)
                    : pipeline.normalizer().normalize(segment);
            AddedTokens inNormalized = pipeline.normalizedTokens();
            if (inNormalized.isEmpty()) {
                model(normalized, from, from == 0);
                return;
            }
            // tokens whose normalized form is matched in the normalized text
            AddedTokenSplit.split(inNormalized, normalized.text(), new AddedTokenSplit.Sink() {
                @Override
                public void ordinary(int a, int b) {
                    Normalizer.Result part = PieceSplitter.slice(normalized, a, b);
                    model(part, from, from == 0 && part.originStarts()[0] == 0);
                }

                @Override
                public void token(String token, int a, int b) {
                    int start = from + normalized.originStarts()[a];
                    added(inNormalized, token, start, from + Math.max(normalized.originStarts()[a],
                            normalized.originEnds()[b - 1]), start);
                }
            });
        }

        private void model(Normalizer.Result normalized, int from, boolean atTextStart) {
            pieces.clear();
            pipeline.splitter().split(normalized, atTextStart, pieces);
            SubwordModel model = pipeline.model();
            for (Normalizer.Result piece : pieces) {
                if (piece.text().isEmpty()) {
                    continue;
                }
                if (!withOffsets) {
                    model.encode(piece.text(), ids, null, null);
                    continue;
                }
                pieceStarts.clear();
                pieceEnds.clear();
                model.encode(piece.text(), ids, pieceStarts, pieceEnds);
                for (int t = 0; t < pieceStarts.size; t++) {
                    int a = pieceStarts.get(t);
                    int b = pieceEnds.get(t);
                    int start = piece.originStarts()[a];
                    int end = b > a ? piece.originEnds()[b - 1] : start;
                    starts.add(from + start);
                    ends.add(from + Math.max(start, end));
                }
            }
        }
    }
}
