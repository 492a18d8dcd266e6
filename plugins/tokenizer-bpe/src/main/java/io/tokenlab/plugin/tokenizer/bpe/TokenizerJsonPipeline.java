package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;

import java.nio.file.Path;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.tokenlab.plugin.tokenizer.bpe.TokenizerJsonFile.asMap;

/**
 * Builds a {@link TextPipeline} from the parts of a tokenizer.json whose model is WordPiece,
 * Unigram or WordLevel. Anything it does not implement is an error naming the file, the JSON path
 * and the value, never a silent approximation.
 */
final class TokenizerJsonPipeline {
    static final List<String> MODEL_TYPES = List.of("BPE", "WordPiece", "Unigram", "WordLevel");

    private final Path file;
    private final Map<String, Object> root;
    private final Map<String, Object> model;
    private final Map<String, Integer> vocab;
    private final List<String> unigramPieces;
    private final List<Double> unigramScores;

    TokenizerJsonPipeline(Path file, Map<String, Object> root, Map<String, Object> model, Map<String, Integer> vocab,
                          List<String> unigramPieces, List<Double> unigramScores) {
        this.file = file;
        this.root = root;
        this.model = model;
        this.vocab = vocab;
        this.unigramPieces = unigramPieces;
        this.unigramScores = unigramScores;
    }

    private TechniqueException unsupported(String path, Object value, String accepted) {
        return new TechniqueException("tokenizer.json " + file + ": " + path + " = " + value + " is not supported"
                + (accepted == null ? "" : "; supported: " + accepted));
    }

    private TechniqueException invalid(String path, String problem) {
        return new TechniqueException("tokenizer.json " + file + ": " + path + " " + problem);
    }

    private SubwordModel bpe;

    /** The pipeline of a BPE file around its already built merges. */
    TextPipeline build(BpeModel bpeModel) {
        this.bpe = new BpeSubwordModel(bpeModel);
        return build();
    }

    TextPipeline build() {
        String type = String.valueOf(model.get("type"));
        Map<String, Integer> tokenIds = new HashMap<>();
        SubwordModel subword;
        switch (type) {
            case "WordPiece": {
                requireVocab();
                tokenIds.putAll(vocab);
                String prefix = model.get("continuing_subword_prefix") instanceof String
                        ? (String) model.get("continuing_subword_prefix") : "##";
                int max = model.get("max_input_chars_per_word") instanceof Number
                        ? ((Number) model.get("max_input_chars_per_word")).intValue() : 100;
                subword = new WordPieceModel(vocab, prefix, unknownId("model.unk_token"), max);
                break;
            }
            case "BPE":
                if (bpe == null) {
                    throw new IllegalStateException("BPE pipelines are built around their merges");
                }
                tokenIds.putAll(vocab);
                subword = bpe;
                break;
            case "WordLevel":
                requireVocab();
                tokenIds.putAll(vocab);
                subword = new WordLevelModel(vocab, unknownId("model.unk_token"));
                break;
            case "Unigram": {
                if (unigramPieces.isEmpty()) {
                    throw invalid("model.vocab", "is missing or empty");
                }
                double[] scores = new double[unigramPieces.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = unigramScores.get(i);
                    tokenIds.putIfAbsent(unigramPieces.get(i), i);
                }
                Object unk = model.get("unk_id");
                int unkId = unk instanceof Number ? ((Number) unk).intValue() : -1;
                if (unkId >= unigramPieces.size()) {
                    throw invalid("model.unk_id", "= " + unk + " is outside the vocabulary of " + unigramPieces.size());
                }
                subword = new UnigramModel(unigramPieces, scores, null, unkId, Boolean.TRUE.equals(model.get("byte_fallback")), false);
                break;
            }
            default:
                throw unsupported("model.type", type, String.join(", ", MODEL_TYPES));
        }
        AddedTokens added = new AddedTokens();
        int size = type.equals("Unigram") ? unigramPieces.size() : 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        List<Map<String, Object>> addedJson = new ArrayList<>();
        if (root.get("added_tokens") instanceof List) {
            for (Object o : (List<?>) root.get("added_tokens")) {
                addedJson.add(asMap(o));
            }
        }
        // Hugging Face gives an added token the model's id for its text, else the next free id
        // after the model (the file's "id" is not read back), in file order
        Map<String, Integer> modelIds = new HashMap<>(tokenIds);
        int modelSize = type.equals("Unigram") ? unigramPieces.size() : vocab.size();
        int[] addedIds = new int[addedJson.size()];
        int maxAdded = -1;
        for (int k = 0; k < addedJson.size(); k++) {
            String content = (String) addedJson.get(k).get("content");
            Integer inModel = content == null ? null : modelIds.get(content);
            int id = inModel != null ? inModel : maxAdded >= modelSize ? maxAdded + 1 : modelSize;
            addedIds[k] = id;
            maxAdded = Math.max(maxAdded, id);
            size = Math.max(size, id + 1);
        }
        String[] tokens = new String[size];
        if (type.equals("Unigram")) {
            for (int i = 0; i < unigramPieces.size(); i++) {
                tokens[i] = unigramPieces.get(i);
            }
        } else {
            vocab.forEach((t, id) -> tokens[id] = t);
        }
        Normalizer normalizer = normalizer(asMap(root.get("normalizer")), "normalizer");
        AddedTokens normalizedAdded = new AddedTokens();
        for (int k = 0; k < addedJson.size(); k++) {
            Map<String, Object> a = addedJson.get(k);
            String content = (String) a.get("content");
            int id = addedIds[k];
            int options = (Boolean.TRUE.equals(a.get("lstrip")) ? AddedTokens.LSTRIP : 0)
                    | (Boolean.TRUE.equals(a.get("rstrip")) ? AddedTokens.RSTRIP : 0)
                    | (Boolean.TRUE.equals(a.get("single_word")) ? AddedTokens.SINGLE_WORD : 0);
            boolean special = Boolean.TRUE.equals(a.get("special"));
            // Hugging Face's default for "normalized" is the opposite of "special"
            boolean normalized = a.get("normalized") instanceof Boolean ? (Boolean) a.get("normalized") : !special;
            if (normalized) {
                normalizedAdded.add(normalizer == null ? content : normalizer.normalize(content).text(), id, special, options);
            } else {
                added.add(content, id, special, options);
            }
            tokens[id] = content;
            tokenIds.put(content, id);
        }
        PieceSplitter splitter = splitter(asMap(root.get("pre_tokenizer")), "pre_tokenizer");
        int[][] post = postProcessor(asMap(root.get("post_processor")), tokenIds);
        TokenDecoder decoder = decoder(asMap(root.get("decoder")), "decoder");
        return new TextPipeline(file.toString(), added, normalizedAdded, normalizer, splitter, subword, post[0], post[1], decoder, tokens);
    }

    private void requireVocab() {
        if (vocab.isEmpty()) {
            throw invalid("model.vocab", "is missing or empty");
        }
    }

    private int unknownId(String path) {
        Object unk = model.get("unk_token");
        if (unk == null) {
            return -1;
        }
        Integer id = vocab.get(String.valueOf(unk));
        if (id == null) {
            throw invalid(path, "= '" + unk + "' is not in model.vocab");
        }
        return id;
    }

    private static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.get(key);
        return v instanceof String ? (String) v : fallback;
    }

    private static boolean flag(Map<String, Object> m, String key, boolean fallback) {
        Object v = m.get(key);
        return v instanceof Boolean ? (Boolean) v : fallback;
    }

    private List<Map<String, Object>> sequence(Map<String, Object> json, String listKey, String path) {
        List<Map<String, Object>> out = new ArrayList<>();
        Object list = json.get(listKey);
        if (!(list instanceof List)) {
            throw invalid(path + "." + listKey, "is not a list");
        }
        for (Object o : (List<?>) list) {
            out.add(asMap(o));
        }
        return out;
    }

    // ---- normalizers

    private Normalizer normalizer(Map<String, Object> n, String path) {
        if (n == null) {
            return null;
        }
        String type = String.valueOf(n.get("type"));
        switch (type) {
            case "Sequence": {
                List<Map<String, Object>> steps = sequence(n, "normalizers", path);
                List<Normalizer> built = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    Normalizer s = normalizer(steps.get(i), path + ".normalizers[" + i + "]");
                    if (s != null) {
                        built.add(s);
                    }
                }
                return built.isEmpty() ? null : built.size() == 1 ? built.get(0) : Normalizer.sequence(built);
            }
            case "BertNormalizer": {
                boolean lowercase = flag(n, "lowercase", true);
                Object strip = n.get("strip_accents");
                return new BertNormalizer(flag(n, "clean_text", true), flag(n, "handle_chinese_chars", true),
                        strip instanceof Boolean ? (Boolean) strip : lowercase, lowercase);
            }
            case "Lowercase":
                return new BertNormalizer(false, false, false, true);
            case "StripAccents":
                return Normalizers.stripMarks();
            case "Strip":
                return Normalizers.strip(flag(n, "strip_left", true), flag(n, "strip_right", true));
            case "NFC":
                return new UnicodeFormNormalizer(Form.NFC);
            case "NFD":
                return new UnicodeFormNormalizer(Form.NFD);
            case "NFKC":
                return new UnicodeFormNormalizer(Form.NFKC);
            case "NFKD":
                return new UnicodeFormNormalizer(Form.NFKD);
            case "Prepend":
                return Normalizer.prepend(string(n, "prepend", ""));
            case "Replace": {
                Map<String, Object> pattern = asMap(n.get("pattern"));
                String content = string(n, "content", "");
                if (pattern != null && pattern.get("String") instanceof String) {
                    return Normalizer.replace((String) pattern.get("String"), content);
                }
                if (pattern != null && pattern.get("Regex") instanceof String) {
                    return Normalizers.replaceRegex(compile((String) pattern.get("Regex"), path + ".pattern.Regex"), content);
                }
                throw invalid(path + ".pattern", "has neither String nor Regex");
            }
            case "Precompiled": {
                Object b64 = n.get("precompiled_charsmap");
                if (b64 == null) {
                    return null; // an empty rule set: SentencePiece's identity normalization
                }
                try {
                    return new PrecompiledCharsMap(Base64.getDecoder().decode(String.valueOf(b64)), file.toString()).asNormalizer();
                } catch (IllegalArgumentException e) {
                    throw invalid(path + ".precompiled_charsmap", "is not a valid charsmap: " + e.getMessage());
                }
            }
            default:
                throw unsupported(path + ".type", type, "Sequence, BertNormalizer, Lowercase, StripAccents, Strip, "
                        + "NFC, NFD, NFKC, NFKD, Prepend, Replace, Precompiled");
        }
    }

    private Pattern compile(String regex, String path) {
        try {
            return Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (RuntimeException e) {
            throw invalid(path, "= " + regex + " cannot be compiled: " + e.getMessage());
        }
    }

    // ---- pre-tokenizers

    private PieceSplitter splitter(Map<String, Object> p, String path) {
        if (p == null) {
            return PieceSplitter.WHOLE;
        }
        String type = String.valueOf(p.get("type"));
        switch (type) {
            case "Sequence": {
                List<Map<String, Object>> steps = sequence(p, "pretokenizers", path);
                List<PieceSplitter> built = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    built.add(splitter(steps.get(i), path + ".pretokenizers[" + i + "]"));
                }
                return built.size() == 1 ? built.get(0) : PieceSplitter.sequence(built);
            }
            case "BertPreTokenizer":
                return PieceSplitter.BERT;
            case "WhitespaceSplit":
                return PieceSplitter.WHITESPACE_SPLIT;
            case "Whitespace":
                return Normalizers.regexPieces(Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS));
            case "Punctuation": {
                String behavior = string(p, "behavior", "Isolated");
                SplitSplitter.Behavior b = SplitSplitter.behavior(behavior);
                if (b == null) {
                    throw unsupported(path + ".behavior", behavior, "Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
                }
                return new SplitSplitter(UnicodeClasses::isBertPunctuation, b);
            }
            case "Digits":
                return new SplitSplitter(UnicodeClasses::isNumeric, flag(p, "individual_digits", false)
                        ? SplitSplitter.Behavior.ISOLATED : SplitSplitter.Behavior.CONTIGUOUS);
            case "Metaspace": {
                String replacement = string(p, "replacement", "\u2581");
                if (replacement.length() != 1) {
                    throw unsupported(path + ".replacement", replacement, "one character");
                }
                return new MetaspaceSplitter(replacement.charAt(0), prependScheme(p, path), flag(p, "split", true));
            }
            case "Split": {
                Map<String, Object> pattern = asMap(p.get("pattern"));
                String regex;
                if (pattern != null && pattern.get("String") instanceof String) {
                    regex = Pattern.quote((String) pattern.get("String"));
                } else if (pattern != null && pattern.get("Regex") instanceof String) {
                    regex = (String) pattern.get("Regex");
                } else {
                    throw invalid(path + ".pattern", "has neither String nor Regex");
                }
                String behavior = string(p, "behavior", "");
                SplitSplitter.Behavior b = SplitSplitter.behavior(behavior);
                if (b == null) {
                    throw unsupported(path + ".behavior", behavior, "Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous");
                }
                return new SplitSplitter(compile(regex, path + ".pattern"), b, flag(p, "invert", false));
            }
            case "UnicodeScripts":
                return new UnicodeScriptsSplitter();
            case "ByteLevel":
                return new ByteLevelSplitter(flag(p, "add_prefix_space", true), flag(p, "use_regex", true));
            case "CharDelimiterSplit": {
                String delimiter = string(p, "delimiter", "");
                if (delimiter.codePointCount(0, delimiter.length()) != 1) {
                    throw unsupported(path + ".delimiter", delimiter, "one character");
                }
                int d = delimiter.codePointAt(0);
                return new SplitSplitter(c -> c == d, SplitSplitter.Behavior.REMOVED);
            }
            default:
                throw unsupported(path + ".type", type, "Sequence, BertPreTokenizer, WhitespaceSplit, Whitespace, "
                        + "Punctuation, Digits, Metaspace, Split, UnicodeScripts, CharDelimiterSplit, ByteLevel");
        }
    }

    private MetaspaceSplitter.Prepend prependScheme(Map<String, Object> p, String path) {
        Object scheme = p.get("prepend_scheme");
        if (scheme == null) {
            return flag(p, "add_prefix_space", true) ? MetaspaceSplitter.Prepend.ALWAYS : MetaspaceSplitter.Prepend.NEVER;
        }
        switch (String.valueOf(scheme)) {
            case "always":
                return MetaspaceSplitter.Prepend.ALWAYS;
            case "first":
                return MetaspaceSplitter.Prepend.FIRST;
            case "never":
                return MetaspaceSplitter.Prepend.NEVER;
            default:
                throw unsupported(path + ".prepend_scheme", scheme, "always, first, never");
        }
    }

    // ---- post-processors: the special tokens around a single sequence

    private int[][] postProcessor(Map<String, Object> p, Map<String, Integer> tokenIds) {
        int[][] none = {new int[0], new int[0]};
        if (p == null) {
            return none;
        }
        String type = String.valueOf(p.get("type"));
        switch (type) {
            case "BertProcessing": case "RobertaProcessing": {
                return new int[][] {{specialId(p, "cls", "post_processor.cls")}, {specialId(p, "sep", "post_processor.sep")}};
            }
            case "TemplateProcessing": {
                Object single = p.get("single");
                if (!(single instanceof List)) {
                    throw invalid("post_processor.single", "is not a list");
                }
                Map<String, Object> specials = asMap(p.get("special_tokens"));
                List<Integer> prefix = new ArrayList<>();
                List<Integer> suffix = new ArrayList<>();
                boolean seenSequence = false;
                List<?> items = (List<?>) single;
                for (int i = 0; i < items.size(); i++) {
                    Map<String, Object> item = asMap(items.get(i));
                    if (item != null && item.containsKey("Sequence")) {
                        seenSequence = true;
                        continue;
                    }
                    Map<String, Object> special = item == null ? null : asMap(item.get("SpecialToken"));
                    if (special == null) {
                        throw invalid("post_processor.single[" + i + "]", "is neither a Sequence nor a SpecialToken");
                    }
                    String name = String.valueOf(special.get("id"));
                    Map<String, Object> entry = specials == null ? null : asMap(specials.get(name));
                    if (entry == null || !(entry.get("ids") instanceof List)) {
                        throw invalid("post_processor.special_tokens", "has no ids for '" + name + "'");
                    }
                    for (Object id : (List<?>) entry.get("ids")) {
                        (seenSequence ? suffix : prefix).add(((Number) id).intValue());
                    }
                }
                return new int[][] {prefix.stream().mapToInt(Integer::intValue).toArray(),
                        suffix.stream().mapToInt(Integer::intValue).toArray()};
            }
            case "ByteLevel":
                return none;
            case "Sequence": {
                int[][] out = none;
                List<Map<String, Object>> steps = sequence(p, "processors", "post_processor");
                for (Map<String, Object> s : steps) {
                    int[][] step = postProcessor(s, tokenIds);
                    if (step[0].length + step[1].length > 0) {
                        out = step;
                    }
                }
                return out;
            }
            default:
                throw unsupported("post_processor.type", type, "TemplateProcessing, BertProcessing, RobertaProcessing, "
                        + "ByteLevel, Sequence");
        }
    }

    private int specialId(Map<String, Object> p, String key, String path) {
        Object v = p.get(key);
        if (v instanceof List && ((List<?>) v).size() == 2 && ((List<?>) v).get(1) instanceof Number) {
            return ((Number) ((List<?>) v).get(1)).intValue();
        }
        throw invalid(path, "is not a [token, id] pair: " + v);
    }

    // ---- decoders

    private TokenDecoder decoder(Map<String, Object> d, String path) {
        if (d == null) {
            return TokenDecoder.SPACE_JOINED;
        }
        String type = String.valueOf(d.get("type"));
        switch (type) {
            case "Sequence": {
                List<Map<String, Object>> steps = sequence(d, "decoders", path);
                List<TokenDecoder> built = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    built.add(decoder(steps.get(i), path + ".decoders[" + i + "]"));
                }
                return TokenDecoder.sequence(built);
            }
            case "WordPiece":
                return TokenDecoder.wordPiece(string(d, "prefix", "##"), flag(d, "cleanup", true));
            case "Metaspace": {
                String replacement = string(d, "replacement", "\u2581");
                return TokenDecoder.metaspace(replacement.charAt(0), prependScheme(d, path) != MetaspaceSplitter.Prepend.NEVER);
            }
            case "ByteFallback":
                return TokenDecoder.byteFallback();
            case "Fuse":
                return TokenDecoder.fuse();
            case "Strip": {
                String content = string(d, "content", " ");
                return TokenDecoder.strip(content.charAt(0), ((Number) d.getOrDefault("start", 0L)).intValue(),
                        ((Number) d.getOrDefault("stop", 0L)).intValue());
            }
            case "Replace": {
                Map<String, Object> pattern = asMap(d.get("pattern"));
                String content = string(d, "content", "");
                if (pattern != null && pattern.get("String") instanceof String) {
                    return TokenDecoder.replace((String) pattern.get("String"), content);
                }
                if (pattern != null && pattern.get("Regex") instanceof String) {
                    Pattern regex = compile((String) pattern.get("Regex"), path + ".pattern.Regex");
                    String replacement = java.util.regex.Matcher.quoteReplacement(content);
                    return tokens -> tokens.stream().map(t -> regex.matcher(t).replaceAll(replacement))
                            .collect(java.util.stream.Collectors.toList());
                }
                throw invalid(path + ".pattern", "has neither String nor Regex");
            }
            case "CTC":
                return TokenDecoder.ctc(string(d, "pad_token", "<pad>"), string(d, "word_delimiter_token", "|"),
                        flag(d, "cleanup", true));
            case "BPEDecoder":
                return TokenDecoder.bpeSuffix(string(d, "suffix", "</w>"));
            case "ByteLevel":
                return TokenDecoder.byteLevel();
            default:
                throw unsupported(path + ".type", type, "Sequence, WordPiece, Metaspace, ByteFallback, Fuse, Strip, "
                        + "Replace, BPEDecoder, CTC, ByteLevel");
        }
    }
}
