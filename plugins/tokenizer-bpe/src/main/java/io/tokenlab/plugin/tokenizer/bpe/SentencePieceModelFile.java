package io.tokenlab.plugin.tokenizer.bpe;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.tokenlab.api.TechniqueException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a SentencePiece {@code .model} file (the protobuf ModelProto: pieces with scores and
 * types, the trainer spec's model type and special ids, the normalizer spec) into a
 * {@link TextPipeline} that encodes as {@code spm_encode --output_format=id} does. Fields are read
 * by their numbers in sentencepiece_model.proto; unknown fields are skipped, as protobuf does.
 */
final class SentencePieceModelFile {
    // ModelProto.SentencePiece.Type
    private static final int NORMAL = 1;
    private static final int UNKNOWN = 2;
    private static final int CONTROL = 3;
    private static final int USER_DEFINED = 4;
    private static final int BYTE = 6;
    // TrainerSpec.ModelType
    private static final int UNIGRAM = 1;
    private static final int BPE = 2;

    private final Path file;
    private final List<String> pieces = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private int modelType = UNIGRAM;
    private boolean byteFallback;
    private boolean whitespaceAsSuffix;
    private int bosId = 1;
    private int eosId = 2;
    private String normalizerName = "";
    private byte[] charsmap;
    private boolean addDummyPrefix = true;
    private boolean removeExtraWhitespaces = true;
    private boolean escapeWhitespaces = true;

    private SentencePieceModelFile(Path file) {
        this.file = file;
    }

    static TextPipeline load(Path file) {
        return read(file).build();
    }

    private static SentencePieceModelFile read(Path file) {
        SentencePieceModelFile f = new SentencePieceModelFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            f.readModel(CodedInputStream.newInstance(in));
        } catch (IOException e) {
            throw new TechniqueException("SentencePiece model " + file + ": not a valid ModelProto (truncated or not a "
                    + ".model file): " + e.getMessage(), e);
        }
        return f;
    }

    /** What a .model file holds, as read (for tools that convert it, such as Hugging Face's converter). */
    record Parts(List<String> pieces, List<Float> scores, List<Integer> types, boolean unigram, boolean byteFallback,
                 byte[] precompiledCharsmap, boolean addDummyPrefix, boolean removeExtraWhitespaces) {
        static final int UNKNOWN_TYPE = UNKNOWN;
        static final int CONTROL_TYPE = CONTROL;
    }

    static Parts parts(Path file) {
        SentencePieceModelFile f = read(file);
        return new Parts(f.pieces, f.scores, f.types, f.modelType == UNIGRAM, f.byteFallback, f.charsmap,
                f.addDummyPrefix, f.removeExtraWhitespaces);
    }

    private TechniqueException error(String problem) {
        return new TechniqueException("SentencePiece model " + file + ": " + problem);
    }

    private void readModel(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1: readMessage(in, this::readPiece); break;
                case 2: readMessage(in, this::readTrainerSpec); break;
                case 3: readMessage(in, this::readNormalizerSpec); break;
                default: in.skipField(tag);
            }
        }
    }

    private interface MessageReader {
        void read(CodedInputStream in) throws IOException;
    }

    private static void readMessage(CodedInputStream in, MessageReader reader) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        reader.read(in);
        in.popLimit(limit);
    }

    private void readPiece(CodedInputStream in) throws IOException {
        String piece = null;
        float score = 0;
        int type = NORMAL;
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1: piece = in.readStringRequireUtf8(); break;
                case 2: score = in.readFloat(); break;
                case 3: type = in.readEnum(); break;
                default: in.skipField(tag);
            }
        }
        if (piece == null || piece.isEmpty()) {
            throw error("pieces[" + pieces.size() + "] has no text");
        }
        pieces.add(piece);
        scores.add(score);
        types.add(type);
    }

    private void readTrainerSpec(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 3: modelType = in.readEnum(); break;
                case 24: whitespaceAsSuffix = in.readBool(); break;
                case 35: byteFallback = in.readBool(); break;
                case 41: bosId = in.readInt32(); break;
                case 42: eosId = in.readInt32(); break;
                default: in.skipField(tag);
            }
        }
    }

    private void readNormalizerSpec(CodedInputStream in) throws IOException {
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1: normalizerName = in.readString(); break;
                case 2: charsmap = in.readByteArray(); break;
                case 3: addDummyPrefix = in.readBool(); break;
                case 4: removeExtraWhitespaces = in.readBool(); break;
                case 5: escapeWhitespaces = in.readBool(); break;
                default: in.skipField(tag);
            }
        }
    }

    private TextPipeline build() {
        if (pieces.isEmpty()) {
            throw error("has no pieces");
        }
        if (modelType != UNIGRAM && modelType != BPE) {
            throw error("trainer_spec.model_type = " + modelType + " (" + (modelType == 3 ? "WORD" : modelType == 4 ? "CHAR" : "?")
                    + ") is not supported; supported: 1 (UNIGRAM), 2 (BPE)");
        }
        int n = pieces.size();
        int unknownId = -1;
        boolean[] matchable = new boolean[n];
        boolean[] userDefined = new boolean[n];
        double[] score = new double[n];
        String[] decodeAs = new String[n];
        CharTrie userTrie = null;
        CharTrie normalTrie = new CharTrie(n);
        int[] byteIds = new int[256];
        Arrays.fill(byteIds, -1);
        double minNormal = Double.MAX_VALUE;
        for (int id = 0; id < n; id++) {
            String p = pieces.get(id);
            int type = types.get(id);
            score[id] = scores.get(id);
            decodeAs[id] = p;
            switch (type) {
                case NORMAL:
                    matchable[id] = true;
                    minNormal = Math.min(minNormal, score[id]);
                    normalTrie.put(p, id);
                    break;
                case USER_DEFINED:
                    matchable[id] = true;
                    userDefined[id] = true;
                    if (userTrie == null) {
                        userTrie = new CharTrie(16);
                    }
                    userTrie.put(p, id);
                    normalTrie.put(p, id);
                    break;
                case UNKNOWN:
                    unknownId = id;
                    decodeAs[id] = " \u2047 ";
                    break;
                case CONTROL:
                    decodeAs[id] = "";
                    break;
                case BYTE:
                    if (p.length() == 6 && p.startsWith("<0x")) {
                        byteIds[Integer.parseInt(p.substring(3, 5), 16)] = id;
                    }
                    break;
                default:
                    break; // UNUSED: never produced
            }
        }
        if (unknownId < 0) {
            throw error("has no UNKNOWN piece (SentencePiece requires <unk>)");
        }
        boolean fallback = byteFallback && Arrays.stream(byteIds).allMatch(id -> id >= 0);
        if (byteFallback && !fallback) {
            throw error("trainer_spec.byte_fallback is true but not all 256 <0xXX> byte pieces are present");
        }
        SubwordModel model = modelType == UNIGRAM
                ? new UnigramModel(pieces, score, matchable, userDefined, unknownId, fallback, true,
                        (float) (minNormal - 10.0))
                : new SentencePieceBpeModel(normalTrie, userTrie, score, unknownId, fallback ? byteIds : null);
        PrecompiledCharsMap rules = charsmap == null || charsmap.length == 0 ? null : new PrecompiledCharsMap(charsmap, file.toString());
        Normalizer normalizer = new SentencePieceNormalizer(rules, userTrie, addDummyPrefix, removeExtraWhitespaces,
                escapeWhitespaces, whitespaceAsSuffix);
        List<TokenDecoder> decoders = new ArrayList<>();
        decoders.add(TokenDecoder.byteFallback());
        decoders.add(TokenDecoder.fuse());
        decoders.add(TokenDecoder.replace("\u2581", " "));
        if (addDummyPrefix && !whitespaceAsSuffix) {
            decoders.add(TokenDecoder.strip(' ', 1, 0));
        }
        int[] prefix = bosId >= 0 && bosId < n ? new int[] {bosId} : new int[0];
        int[] suffix = eosId >= 0 && eosId < n ? new int[] {eosId} : new int[0];
        return new TextPipeline(file + " (" + (normalizerName.isEmpty() ? "no normalization rules" : normalizerName) + ")",
                new AddedTokens(), new AddedTokens(), normalizer, PieceSplitter.WHOLE, model, prefix, suffix,
                TokenDecoder.sequence(decoders), decodeAs);
    }
}
