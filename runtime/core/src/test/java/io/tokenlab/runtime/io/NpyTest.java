package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.BadFiles;
import io.tokenlab.api.testkit.References;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** .npy files as NumPy writes and reads them (Debian's python3-numpy is the reference). */
class NpyTest {
    private static final String PYTHON = References.PYTHON.toString();

    @Test
    void roundTrips() throws Exception {
        FloatMatrix m = new FloatMatrix(2, 3, new float[] {1, 2, 3, 4, 5, -6.25f});
        assertThat(Npy.read(Npy.write(m), "m.npy").data()).containsExactly(m.data());
    }

    @Test
    void agreesWithNumpy(@TempDir Path dir) throws Exception {
        References.requirePython("python3-numpy", "numpy");
        Path ours = dir.resolve("ours.npy");
        Files.write(ours, Npy.write(new FloatMatrix(2, 2, new float[] {0.5f, 1.5f, -2f, 3f})));
        Path theirs = dir.resolve("theirs.npy");
        String script = "import numpy as np, sys\n"
                + "a = np.load(sys.argv[1]); assert a.dtype == np.float32 and a.shape == (2, 2), (a.dtype, a.shape)\n"
                + "print(' '.join(str(x) for x in a.ravel()))\n"
                + "np.save(sys.argv[2], np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) / 4))\n";
        Process p = new ProcessBuilder(PYTHON, "-c", script, ours.toString(), theirs.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("0.5 1.5 -2.0 3.0");
        FloatMatrix back = Npy.read(Files.readAllBytes(theirs), "theirs.npy");
        assertThat(back.rows()).isEqualTo(2);
        assertThat(back.data()).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f);
    }

    @Test
    void badFilesAreClearErrors() {
        assertThatThrownBy(() -> Npy.read("not numpy".getBytes(StandardCharsets.US_ASCII), "x.npy"))
                .hasMessageContaining("x.npy: not a .npy file");
        byte[] truncated = java.util.Arrays.copyOf(Npy.write(new FloatMatrix(4, 4, new float[16])), 128 + 20);
        assertThatThrownBy(() -> Npy.read(truncated, "t.npy")).hasMessageContaining("t.npy")
                .hasMessageContaining("needs 64 bytes");
    }

    @Test
    void shapesThatCannotBeAMatrixNameTheFileTheShapeAndWhatIsAccepted() {
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, "
                + "2000000000), }", new byte[0]), "big.npy"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("big.npy").hasMessageContaining("(2000000000, 2000000000)")
                .hasMessageContaining("4000000000000000000 elements").hasMessageContaining("at most 2147483639");
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-5, 768), }",
                new byte[0]), "neg.npy"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("neg.npy").hasMessageContaining("(-5, 768)")
                .hasMessageContaining("-5").hasMessageContaining("non-negative integers");
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (two, 3), }",
                new byte[0]), "words.npy"))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("words.npy").hasMessageContaining("'two'");
    }

    @Test
    void oneDimensionalArraysAreNotTokenMatrices() throws Exception {
        byte[] vector = BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }", new byte[32]);
        assertThatThrownBy(() -> Npy.read(vector, "v.npy")).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("v.npy").hasMessageContaining("shape (8,)")
                .hasMessageContaining("accepted: a 2-D array N x D").hasMessageContaining("(1, 8)");
        FloatMatrix oneRow = Npy.read(BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 8), }",
                new byte[32]), "r.npy");
        assertThat(oneRow.rows()).isEqualTo(1);
        assertThat(oneRow.cols()).isEqualTo(8);
    }

    @Test
    void unsupportedDtypesAreNamedWithTheAcceptedOnes() {
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<c8', 'fortran_order': False, 'shape': (4, 8), }",
                new byte[256]), "c.npy"))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("c.npy").hasMessageContaining("'<c8'").hasMessageContaining("complex")
                .hasMessageContaining("accepted:").hasMessageContaining("<f4").hasMessageNotContaining("lacks");
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<f4', 'shape': (4, 8), }", new byte[128]), "nofortran.npy"))
                .hasMessageContaining("nofortran.npy").hasMessageContaining("lacks 'fortran_order'");
    }

    @Test
    void unsignedAndBigEndianIntegersDecode() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        b.putInt(-1).putInt(7).putInt(0).putInt(1 << 31);
        FloatMatrix m = Npy.read(BadFiles.npy("{'descr': '>u4', 'fortran_order': False, 'shape': (2, 2), }", b.array()), "u.npy");
        assertThat(m.data()).containsExactly(4294967295f, 7f, 0f, 2147483648f);
    }

    @Test
    void longsAreWrittenAsInt64InRowOrder() throws Exception {
        byte[] npy = Npy.writeLongs(new long[] {0, 5, 1L << 40, -3, 7, 9}, 2, 3);
        String header = new String(npy, 10, ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN).getShort(8),
                StandardCharsets.ISO_8859_1);
        assertThat(header).contains("'descr': '<i8'").contains("'shape': (2, 3)");
        assertThat((10 + header.length()) % 64).as("data 64-byte aligned").isZero();
        ByteBuffer data = ByteBuffer.wrap(npy, 10 + header.length(), 48).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(data.getLong(16)).isEqualTo(1L << 40);
        assertThat(data.getLong(24)).isEqualTo(-3);
        assertThat(Npy.read(npy, "i.npy").data()).containsExactly(0f, 5f, 0x1p40f, -3f, 7f, 9f);
        assertThatThrownBy(() -> Npy.writeLongs(new long[5], 2, 3)).hasMessageContaining("(2, 3)");
    }

    @Test
    void anEmptyArrayWithADimensionBeyondAnArrayIsRefused() {
        assertThatThrownBy(() -> Npy.read(BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4294967296), }",
                new byte[0]), "e.npy")).isInstanceOf(java.io.IOException.class).hasMessageContaining("e.npy")
                .hasMessageContaining("(0, 4294967296)").hasMessageContaining("a dimension beyond");
    }
}
