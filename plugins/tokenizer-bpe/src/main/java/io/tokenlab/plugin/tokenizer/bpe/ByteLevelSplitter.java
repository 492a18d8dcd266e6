package io.tokenlab.plugin.tokenizer.bpe;

import java.util.List;

/**
 * Hugging Face's ByteLevel pre-tokenizer without the byte-to-character mapping (the BPE model
 * here works on bytes directly): a space prepended when the text does not start with one
 * ({@code add_prefix_space}), then GPT-2's pre-tokenization regex ({@code use_regex}).
 */
final class ByteLevelSplitter implements PieceSplitter {
    private final boolean addPrefixSpace;
    private final PreTokenizer regex;

    ByteLevelSplitter(boolean addPrefixSpace, boolean useRegex) {
        this.addPrefixSpace = addPrefixSpace;
        this.regex = useRegex ? new TiktokenPatterns.Gpt2() : null;
    }

    @Override
    public void split(Normalizer.Result in, boolean atTextStart, List<Normalizer.Result> out) {
        Normalizer.Result r = in;
        if (r.text().isEmpty()) {
            return;
        }
        if (addPrefixSpace && r.text().charAt(0) != ' ') {
            r = Normalizer.prepend(" ").normalize(r.text()).after(r);
        }
        if (regex == null) {
            out.add(r);
            return;
        }
        IntList ends = new IntList(16);
        regex.split(r.text(), 0, r.text().length(), ends);
        int start = 0;
        for (int k = 0; k < ends.size; k++) {
            out.add(PieceSplitter.slice(r, start, ends.get(k)));
            start = ends.get(k);
        }
    }
}
