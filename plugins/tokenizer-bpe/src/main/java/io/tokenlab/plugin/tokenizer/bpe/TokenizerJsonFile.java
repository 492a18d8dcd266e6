package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.TechniqueException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a Hugging Face {@code tokenizer.json} with a BPE model: byte-level ones (GPT-2, Qwen)
 * and SentencePiece-style ones (metaspace {@code ▁}, byte fallback; Llama 2, Gemma 3). The
 * vocabulary and merges are streamed (Gemma 3 has half a million merges); the small parts
 * (normalizer, pre-tokenizer, decoder, added tokens) are read as plain maps and lists.
 */
final class TokenizerJsonFile {
    private static final String METASPACE = "\u2581";

    private final Path file;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Map<String, Object> model = new LinkedHashMap<>();
    private final Map<String, Integer> vocab = new HashMap<>();
    private final List<String[]> merges = new ArrayList<>();
    /** Unigram models list their vocabulary as [piece, score] pairs, in id order. */
    private final List<String> unigramPieces = new ArrayList<>();
    private final List<Double> unigramScores = new ArrayList<>();
    private final List<String> unigramScoreTexts = new ArrayList<>();
    /** The text of the last number read in a Unigram vocabulary entry, for {@link JsonFloats}. */
    private String lastNumberText;

    private TokenizerJsonFile(Path file) {
        this.file = file;
    }

    /**
     * Ids index arrays, so they are bounded: the largest real vocabularies have about 262k ids (Gemma 3);
     * an id beyond 2^24 is a damaged file, not a vocabulary.
     */
    static final int MAX_ID = (1 << 24) - 1;

    static LoadedVocabulary load(Path file) {
        TokenizerJsonFile f = new TokenizerJsonFile(file);
        f.parse();
        f.checkShape();
        try {
            return f.buildAny();
        } catch (TechniqueException e) {
            throw e;
        } catch (RuntimeException e) {
            // a value of a form no check above foresaw: still the documented error, naming the file
            throw f.error("malformed (" + e + "); expected a Hugging Face tokenizer.json");
        }
    }

    private LoadedVocabulary buildAny() {
        if ("BPE".equals(model.getOrDefault("type", "BPE"))) {
            return build();
        }
        List<Double> scores = new ArrayList<>(unigramScoreTexts.size());
        for (String text : unigramScoreTexts) {
            scores.add(JsonFloats.parse(text));
        }
        return new TokenizerJsonPipeline(file, root, model, vocab, unigramPieces, scores).build();
    }

    /** A part the dedicated BPE path lacks: the file is then read as a general text pipeline. */
    private static final class NotFastPath extends RuntimeException {
        NotFastPath() {
            super(null, null, false, false);
        }
    }

    private TechniqueException error(String problem) {
        return new TechniqueException("tokenizer.json " + file + ": " + problem);
    }

    // ---- parsing

    private void parse() {
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("model")) {
                    parseModel(p);
                } else {
                    root.put(name, readValue(p));
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw error("unexpected " + p.currentToken() + " at the top level");
            }
        } catch (IOException e) {
            throw error("not valid JSON (truncated or corrupt): " + e.getMessage());
        }
        if (model.isEmpty() && vocab.isEmpty() && unigramPieces.isEmpty()) {
            throw error("has no \"model\"");
        }
    }

    private void parseModel(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw error("\"model\" is not an object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("type")) {
                Object type = readValue(p);
                model.put("type", type);
                if (!TokenizerJsonPipeline.MODEL_TYPES.contains(type)) {
                    throw error("model.type: '" + type + "' is not supported; supported: "
                            + String.join(", ", TokenizerJsonPipeline.MODEL_TYPES));
                }
            } else if (name.equals("vocab") && p.currentToken() == JsonToken.START_ARRAY) {
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    Object entry = t == JsonToken.START_ARRAY ? readEntry(p) : null;
                    if (!(entry instanceof List) || ((List<?>) entry).size() != 2 || !(((List<?>) entry).get(0) instanceof String)
                            || !(((List<?>) entry).get(1) instanceof Number)) {
                        throw error("model.vocab[" + unigramPieces.size() + "]: expected [piece, score], found " + entry);
                    }
                    unigramPieces.add((String) ((List<?>) entry).get(0));
                    unigramScores.add(((Number) ((List<?>) entry).get(1)).doubleValue());
                    unigramScoreTexts.add(lastNumberText);
                }
            } else if (name.equals("vocab")) {
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    throw error("model.vocab is not an object of token to id");
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw error("model.vocab: id of '" + token + "' is not an integer");
                    }
                    vocab.put(token, id(p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue() : -1L,
                            p.getText(), "model.vocab: id of '" + token + "'"));
                }
            } else if (name.equals("merges")) {
                if (p.currentToken() != JsonToken.START_ARRAY) {
                    throw error("model.merges is not an array");
                }
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    if (t == JsonToken.VALUE_STRING) {
                        String merge = p.getText();
                        int space = merge.indexOf(' ', 1);
                        if (space < 0) {
                            throw error("merge " + merges.size() + " '" + merge + "' is not '<left> <right>'");
                        }
                        merges.add(new String[] {merge.substring(0, space), merge.substring(space + 1)});
                    } else if (t == JsonToken.START_ARRAY) {
                        Object pair = readValue(p);
                        List<?> list = (List<?>) pair;
                        if (list.size() != 2) {
                            throw error("merge " + merges.size() + " " + list + " is not a pair");
                        }
                        merges.add(new String[] {String.valueOf(list.get(0)), String.valueOf(list.get(1))});
                    } else {
                        throw error("merge " + merges.size() + " is neither a string nor a pair");
                    }
                }
            } else {
                model.put(name, readValue(p));
            }
        }
    }

    /** A [piece, score] pair, keeping the score's text. */
    private Object readEntry(JsonParser p) throws IOException {
        List<Object> list = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT || p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                lastNumberText = p.getText();
            }
            list.add(readValue(p));
        }
        return list;
    }

    static Object readValue(JsonParser p) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, readValue(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                // beyond long: kept exact, so that the checks say what the value is instead of failing here
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + p.currentToken());
        }
    }

    // ---- checking the shape every builder relies on

    /** The parts' types, the added tokens' ids and contents, and each Sequence's steps being objects. */
    private void checkShape() {
        Object addedList = root.get("added_tokens");
        if (addedList != null && !(addedList instanceof List)) {
            throw error("added_tokens is " + kind(addedList) + "; expected a list of {\"id\", \"content\", ...}");
        }
        if (addedList != null) {
            List<?> list = (List<?>) addedList;
            for (int i = 0; i < list.size(); i++) {
                String where = "added_tokens[" + i + "]";
                Map<String, Object> a = object(list.get(i), where);
                if (a == null) {
                    throw error(where + " is null; expected an object with id and content");
                }
                Object id = a.get("id");
                if (!(id instanceof Long)) {
                    throw error(where + " has id " + kind(id) + "; expected an integer in 0.." + MAX_ID);
                }
                id((Long) id, String.valueOf(id), where + " id");
                if (!(a.get("content") instanceof String)) {
                    throw error(where + " has content " + kind(a.get("content")) + "; expected a string");
                }
            }
        }
        String[][] parts = {{"normalizer", "normalizers"}, {"pre_tokenizer", "pretokenizers"}, {"decoder", "decoders"},
                {"post_processor", "processors"}};
        for (String[] part : parts) {
            Map<String, Object> json = object(root.get(part[0]), part[0]);
            if (json == null || !"Sequence".equals(json.get("type"))) {
                continue;
            }
            Object steps = json.get(part[1]);
            if (steps != null && !(steps instanceof List)) {
                throw error(part[0] + " Sequence " + part[1] + " is " + kind(steps) + "; expected a list of objects");
            }
            if (steps != null) {
                List<?> list = (List<?>) steps;
                for (int i = 0; i < list.size(); i++) {
                    if (!(list.get(i) instanceof Map)) {
                        throw error(part[0] + " " + part[1] + "[" + i + "] is " + kind(list.get(i)) + "; expected an object");
                    }
                }
            }
        }
    }

    /** A part that must be a JSON object (or absent: null). */
    private Map<String, Object> object(Object o, String where) {
        if (o != null && !(o instanceof Map)) {
            throw error(where + " is " + kind(o) + "; expected an object");
        }
        return asMap(o);
    }

    /** An id: an integer in 0..MAX_ID ({@code text} is how the file wrote it). */
    private int id(long id, String text, String where) {
        if (id < 0 || id > MAX_ID) {
            throw error(where + " is " + text + "; accepted: an integer in 0.." + MAX_ID);
        }
        return (int) id;
    }

    /** How a JSON value reads in a message. */
    private static String kind(Object v) {
        if (v == null) {
            return "missing or null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String) {
            return "the string '" + v + "'";
        }
        return v.toString();
    }

    // ---- building

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : null;
    }

    static List<Object> steps(Map<String, Object> part, String listKey) {
        if (part == null) {
            return List.of();
        }
        if ("Sequence".equals(part.get("type"))) {
            Object list = part.get(listKey);
            @SuppressWarnings("unchecked")
            List<Object> l = list instanceof List ? (List<Object>) list : List.of();
            return l;
        }
        return List.of(part);
    }

    private LoadedVocabulary build() {
        if (!"BPE".equals(model.getOrDefault("type", "BPE"))) {
            throw error("model type '" + model.get("type") + "' is not supported; tokenizer/bpe reads BPE models only");
        }
        if (vocab.isEmpty()) {
            throw error("model.vocab is missing or empty");
        }
        if (model.get("dropout") instanceof Number && ((Number) model.get("dropout")).doubleValue() > 0) {
            throw error("BPE dropout is not supported (it makes encoding random)");
        }
        for (String key : new String[] {"continuing_subword_prefix", "end_of_word_suffix"}) {
            Object v = model.get(key);
            if (v instanceof String && !((String) v).isEmpty()) {
                throw error("model." + key + " '" + v + "' is not supported");
            }
        }
        Map<String, Object> preTokenizerJson = asMap(root.get("pre_tokenizer"));
        Map<String, Object> decoderJson = asMap(root.get("decoder"));
        boolean byteLevel = containsType(steps(preTokenizerJson, "pretokenizers"), "ByteLevel")
                || containsType(steps(decoderJson, "decoders"), "ByteLevel");
        boolean byteFallback = Boolean.TRUE.equals(model.get("byte_fallback"));

        List<Map<String, Object>> addedJson = new ArrayList<>();
        if (root.get("added_tokens") instanceof List) {
            for (Object o : (List<?>) root.get("added_tokens")) {
                addedJson.add(asMap(o));
            }
        }
        int size = 0;
        for (int id : vocab.values()) {
            size = Math.max(size, id + 1);
        }
        for (Map<String, Object> a : addedJson) {
            size = Math.max(size, ((Number) a.get("id")).intValue() + 1);
        }
        byte[][] pieceBytes = new byte[size][];
        byte[][] decodeBytes = new byte[size][];
        boolean metaspaceToSpace = !byteLevel && decodesMetaspace(steps(decoderJson, "decoders"));
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            int id = e.getValue();
            if (byteLevel) {
                byte[] b = ByteLevelAlphabet.decode(token);
                pieceBytes[id] = b;
                decodeBytes[id] = b != null ? b : token.getBytes(StandardCharsets.UTF_8);
            } else {
                pieceBytes[id] = token.getBytes(StandardCharsets.UTF_8);
                int fallback = byteFallback ? fallbackByte(token) : -1;
                decodeBytes[id] = fallback >= 0 ? new byte[] {(byte) fallback}
                        : (metaspaceToSpace ? token.replace(METASPACE, " ") : token).getBytes(StandardCharsets.UTF_8);
            }
        }
        AddedTokens added = new AddedTokens();
        boolean needsPipeline = false;
        for (Map<String, Object> a : addedJson) {
            String content = (String) a.get("content");
            int id = ((Number) a.get("id")).intValue();
            boolean special = Boolean.TRUE.equals(a.get("special"));
            if (Boolean.TRUE.equals(a.get("single_word")) || Boolean.TRUE.equals(a.get("lstrip"))
                    || Boolean.TRUE.equals(a.get("rstrip")) || Boolean.TRUE.equals(a.get("normalized"))
                    && root.get("normalizer") != null) {
                needsPipeline = true;
            }
            added.add(content, id, special);
            // a non-special added token that is also in the vocabulary decodes like it (HF runs the decoder on it)
            if (special || decodeBytes[id] == null) {
                decodeBytes[id] = content.getBytes(StandardCharsets.UTF_8);
            }
        }
        TokenBytesTable pieceTable = TokenBytesTable.of(pieceBytes);

        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            if (byteLevel) {
                byteIds[b] = pieceTable.idOf(new byte[] {(byte) b});
                if (byteIds[b] < 0) {
                    throw error("byte-level vocabulary has no token for byte 0x" + String.format("%02X", b)
                            + " (truncated or corrupt)");
                }
            } else {
                Integer id = byteFallback ? vocab.get(String.format("<0x%02X>", b)) : null;
                byteIds[b] = id == null ? -1 : id;
            }
        }
        PairMergeTable table = new PairMergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] m = merges.get(rank);
            Integer left = vocab.get(m[0]);
            Integer right = vocab.get(m[1]);
            Integer merged = vocab.get(m[0] + m[1]);
            if (left == null || right == null || merged == null) {
                throw error("merge " + rank + " '" + m[0] + " " + m[1] + "' uses a token that model.vocab does not have");
            }
            table.put(left, right, rank, merged);
        }
        Object unk = model.get("unk_token");
        int unknownId = unk instanceof String && vocab.containsKey(unk) ? vocab.get(unk) : -1;
        boolean ignoreMerges = Boolean.TRUE.equals(model.get("ignore_merges"));
        BpeModel bpe = new BpeModel(pieceTable, table, ignoreMerges, byteLevel, byteIds, unknownId,
                Boolean.TRUE.equals(model.get("fuse_unk")));
        if (!needsPipeline) {
            try {
                return new BpeVocabulary(file.toString(), normalizer(asMap(root.get("normalizer"))),
                        preTokenizer(preTokenizerJson), bpe, added, TokenBytesTable.of(decodeBytes), size,
                        leadingSpacesStripped(steps(decoderJson, "decoders")));
            } catch (NotFastPath e) {
                // read below as a general pipeline, which names the part if it has it neither
            }
        }
        return new TokenizerJsonPipeline(file, root, model, vocab, List.of(), List.of()).build(bpe);
    }

    private static boolean containsType(List<Object> steps, String type) {
        for (Object s : steps) {
            Map<String, Object> m = asMap(s);
            if (m != null && type.equals(m.get("type"))) {
                return true;
            }
        }
        return false;
    }

    private static int fallbackByte(String token) {
        if (token.length() == 6 && token.startsWith("<0x") && token.endsWith(">")) {
            try {
                return Integer.parseInt(token.substring(3, 5), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private boolean decodesMetaspace(List<Object> decoders) {
        for (Object o : decoders) {
            Map<String, Object> d = asMap(o);
            if (d == null) {
                continue;
            }
            if ("Metaspace".equals(d.get("type"))) {
                return true;
            }
            if ("Replace".equals(d.get("type")) && METASPACE.equals(patternString(d)) && " ".equals(d.get("content"))) {
                return true;
            }
        }
        return false;
    }

    private int leadingSpacesStripped(List<Object> decoders) {
        int strip = 0;
        for (Object o : decoders) {
            Map<String, Object> d = asMap(o);
            if (d == null) {
                continue;
            }
            String type = String.valueOf(d.get("type"));
            switch (type) {
                case "Strip":
                    if (" ".equals(d.get("content")) && d.get("start") instanceof Number) {
                        strip += ((Number) d.get("start")).intValue();
                    }
                    break;
                case "Metaspace":
                    if (!"never".equals(d.get("prepend_scheme")) && !Boolean.FALSE.equals(d.get("add_prefix_space"))) {
                        strip += 1;
                    }
                    break;
                case "Replace": case "ByteFallback": case "Fuse": case "ByteLevel":
                    break;
                default:
                    throw new NotFastPath();
            }
        }
        return strip;
    }

    private static String patternString(Map<String, Object> step) {
        Map<String, Object> pattern = asMap(step.get("pattern"));
        return pattern == null ? null : (String) pattern.get("String");
    }

    private Normalizer normalizer(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        List<Normalizer> steps = new ArrayList<>();
        for (Object o : steps(json, "normalizers")) {
            Map<String, Object> n = asMap(o);
            String type = String.valueOf(n.get("type"));
            switch (type) {
                case "Prepend":
                    steps.add(Normalizer.prepend((String) n.get("prepend")));
                    break;
                case "Replace": {
                    String from = patternString(n);
                    if (from == null) {
                        throw new NotFastPath();
                    }
                    steps.add(Normalizer.replace(from, (String) n.get("content")));
                    break;
                }
                case "NFC":
                    steps.add(Normalizer.unicode(Form.NFC));
                    break;
                case "NFKC":
                    steps.add(Normalizer.unicode(Form.NFKC));
                    break;
                case "NFD":
                    steps.add(Normalizer.unicode(Form.NFD));
                    break;
                case "NFKD":
                    steps.add(Normalizer.unicode(Form.NFKD));
                    break;
                default:
                    throw new NotFastPath();
            }
        }
        return steps.size() == 1 ? steps.get(0) : Normalizer.sequence(steps);
    }

    private PreTokenizer preTokenizer(Map<String, Object> json) {
        if (json == null) {
            return PreTokenizer.WHOLE;
        }
        List<PreTokenizer> stages = new ArrayList<>();
        for (Object o : steps(json, "pretokenizers")) {
            Map<String, Object> step = asMap(o);
            String type = String.valueOf(step.get("type"));
            switch (type) {
                case "ByteLevel":
                    if (Boolean.TRUE.equals(step.get("add_prefix_space"))) {
                        throw new NotFastPath();
                    }
                    if (!Boolean.FALSE.equals(step.get("use_regex"))) {
                        stages.add(new TiktokenPatterns.Gpt2());
                    }
                    break;
                case "Split":
                    stages.add(split(step));
                    break;
                default:
                    throw new NotFastPath();
            }
        }
        if (stages.isEmpty()) {
            return PreTokenizer.WHOLE;
        }
        if (stages.size() == 1) {
            return stages.get(0);
        }
        return (text, start, end, pieceEnds) -> {
            IntList current = new IntList(16);
            stages.get(0).split(text, start, end, current);
            for (int s = 1; s < stages.size(); s++) {
                IntList refined = new IntList(current.size + 16);
                int from = start;
                for (int i = 0; i < current.size; i++) {
                    stages.get(s).split(text, from, current.get(i), refined);
                    from = current.get(i);
                }
                current = refined;
            }
            for (int i = 0; i < current.size; i++) {
                pieceEnds.add(current.get(i));
            }
        };
    }

    private PreTokenizer split(Map<String, Object> step) {
        if (Boolean.TRUE.equals(step.get("invert"))) {
            throw new NotFastPath();
        }
        Map<String, Object> pattern = asMap(step.get("pattern"));
        String behavior = String.valueOf(step.get("behavior"));
        String literal = pattern == null ? null : (String) pattern.get("String");
        String regex = pattern == null ? null : (String) pattern.get("Regex");
        if (literal == null && regex == null) {
            throw error("pre_tokenizer Split has no String or Regex pattern");
        }
        if (regex != null && behavior.equals("Isolated")) {
            PreTokenizer known = TiktokenPatterns.forRegex(regex);
            if (known != null) {
                return known;
            }
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(literal != null ? Pattern.quote(literal) : regex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (RuntimeException e) {
            throw error("pre_tokenizer Split regex cannot be compiled: " + e.getMessage());
        }
        switch (behavior) {
            case "Isolated": case "MergedWithPrevious": case "MergedWithNext":
                return new RegexSplit(compiled, behavior);
            default:
                throw new NotFastPath();
        }
    }
}
