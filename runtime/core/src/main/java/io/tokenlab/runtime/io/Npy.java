package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0-3.0): a magic string, a Python-literal header with
 * {@code descr}, {@code fortran_order} and {@code shape}, then the array data. 1-D and 2-D arrays of
 * float32, float64, float16 or integer types are read as float matrices; {@code .npy} is written as
 * little-endian float32, C order.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    public static boolean looksLikeNpy(byte[] bytes) {
        if (bytes.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    public static FloatMatrix read(byte[] bytes, String name) throws IOException {
        if (!looksLikeNpy(bytes) || bytes.length < 10) {
            throw new IOException(name + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLength = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new IOException(name + ": .npy version " + major + " is not supported; accepted: 1, 2, 3");
        }
        if (headerStart + (long) headerLength > bytes.length) {
            throw new IOException(name + ": truncated .npy header");
        }
        String header = new String(bytes, headerStart, headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(name + ": .npy header lacks descr, fortran_order or shape: " + header.trim());
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = d.group(2).charAt(0);
        int width = Integer.parseInt(d.group(3));
        String[] dims = s.group(1).split(",");
        long[] shape = java.util.Arrays.stream(dims).map(String::trim).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        if (shape.length < 1 || shape.length > 2) {
            throw new IOException(name + ": array has " + shape.length + " dimensions " + s.group(0)
                    + "; accepted: 1 or 2");
        }
        int rows = shape.length == 2 ? Math.toIntExact(shape[0]) : 1;
        int cols = Math.toIntExact(shape[shape.length - 1]);
        long count = (long) rows * cols;
        int dataStart = headerStart + headerLength;
        if (dataStart + count * width > bytes.length) {
            throw new IOException(name + ": shape " + rows + "x" + cols + " of " + kind + width + " needs "
                    + count * width + " bytes of data, the file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, bytes.length - dataStart).slice().order(order);
        float[] out = new float[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            out[i] = element(data, i, kind, width, name);
        }
        FloatMatrix m = new FloatMatrix(rows, cols, out);
        if (f.group(1).equals("True") && shape.length == 2) {
            m = new FloatMatrix(cols, rows, out).transpose();
        }
        return m;
    }

    private static float element(ByteBuffer b, int i, char kind, int width, String name) throws IOException {
        switch (kind + Integer.toString(width)) {
            case "f4":
                return b.getFloat(i * 4);
            case "f8":
                return (float) b.getDouble(i * 8);
            case "f2":
                return Safetensors.halfToFloat(b.getShort(i * 2));
            case "i1":
                return b.get(i);
            case "u1":
                return b.get(i) & 0xff;
            case "i2":
                return b.getShort(i * 2);
            case "i4":
                return b.getInt(i * 4);
            case "i8":
                return b.getLong(i * 8);
            default:
                throw new IOException(name + ": dtype " + kind + width + " is not supported; accepted: float16/32/64, "
                        + "int8/16/32/64, uint8");
        }
    }

    /** A float32, C-order, little-endian {@code .npy} file. */
    public static byte[] write(FloatMatrix m) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64; // header padded so the data is 64-byte aligned, as NumPy does
        StringBuilder header = new StringBuilder(dict);
        header.append(" ".repeat(padding)).append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        out.asFloatBuffer().put(m.data());
        return out.array();
    }
}
