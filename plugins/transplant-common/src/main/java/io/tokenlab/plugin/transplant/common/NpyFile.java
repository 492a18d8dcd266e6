package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} (format versions 1-3, numpy/lib/format.py): magic {@code \x93NUMPY}, version, header
 * length, a Python dict literal with {@code descr}, {@code fortran_order} and {@code shape}, then the
 * data. Float16/32/64 arrays of one or two dimensions are read; tables are written as little-endian
 * float32 in C order. A {@code .npy} file has no vocabulary: the caller binds it to one.
 */
public final class NpyFile {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])f(\\d)'");
    private static final Pattern ANY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyFile() {
    }

    public static boolean isNpy(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    public static FloatMatrix read(byte[] bytes, String name) throws TableFormatException {
        if (!isNpy(bytes) || bytes.length < 10) {
            throw new TableFormatException(name + ": not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerStart = major == 1 ? 10 : 12;
        if (major < 1 || major > 3) {
            throw new TableFormatException(name + ": .npy format version " + major + " is not supported; accepted: 1, 2, 3");
        }
        if (bytes.length < headerStart) {
            throw new TableFormatException(name + ": truncated .npy preamble");
        }
        long headerLength = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8) & 0xffffffffL;
        if (headerStart + headerLength > bytes.length) {
            throw new TableFormatException(name + ": the .npy header claims " + headerLength + " bytes, the file has "
                    + (bytes.length - headerStart) + " after the preamble; truncated");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher any = ANY_DESCR.matcher(header);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!any.find() || !f.find() || !s.find()) {
            throw new TableFormatException(name + ": the .npy header lacks descr, fortran_order or shape: "
                    + header.trim());
        }
        if (!d.find() || !(d.group(2).equals("2") || d.group(2).equals("4") || d.group(2).equals("8"))) {
            throw new TableFormatException(name + ": dtype '" + any.group(1) + "' is not a float type; accepted: "
                    + "<f2, <f4, <f8 (or big-endian)");
        }
        ByteOrder order = d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        int width = Integer.parseInt(d.group(2));
        String shapeText = "(" + s.group(1).trim() + ")";
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",", -1)) {
            String dim = part.trim();
            if (dim.isEmpty()) {
                continue; // the trailing comma of a 1-tuple, (8,)
            }
            long v;
            try {
                v = Long.parseLong(dim);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0) {
                throw new TableFormatException(name + ": shape " + shapeText + " has dimension '" + dim
                        + "'; accepted: non-negative integers");
            }
            dims.add(v);
        }
        if (dims.size() < 1 || dims.size() > 2) {
            throw new TableFormatException(name + ": shape " + shapeText + " has " + dims.size()
                    + " dimensions; accepted: 1 or 2");
        }
        long rowCount = dims.size() == 2 ? dims.get(0) : 1;
        long colCount = dims.get(dims.size() - 1);
        // the largest Java array, and the bytes a Java array can hold
        if (colCount != 0 && rowCount > (Integer.MAX_VALUE - 8) / colCount) {
            throw new TableFormatException(name + ": shape " + shapeText + " has more elements than a Java array holds ("
                    + (Integer.MAX_VALUE - 8) + "); accepted: at most that many");
        }
        int rows = (int) rowCount;
        int cols = (int) colCount;
        long need = (long) rows * cols * width;
        long dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != need) {
            throw new TableFormatException(name + ": shape " + shapeText + " of f" + width + " needs " + need
                    + " bytes of data, the file has " + (bytes.length - dataStart)
                    + (bytes.length - dataStart < need ? "; truncated" : "; trailing bytes"));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) need).slice().order(order);
        float[] out = new float[rows * cols];
        for (int i = 0; i < out.length; i++) {
            switch (width) {
                case 2:
                    out[i] = HalfFloats.f16ToFloat(data.getShort(i * 2));
                    break;
                case 4:
                    out[i] = data.getFloat(i * 4);
                    break;
                default:
                    out[i] = (float) data.getDouble(i * 8);
            }
        }
        if (f.group(1).equals("True") && dims.size() == 2) {
            return new FloatMatrix(cols, rows, out).transpose();
        }
        return new FloatMatrix(rows, cols, out);
    }

    /** Little-endian float32, C order, header padded so that the data is 64-byte aligned as NumPy writes it. */
    public static byte[] write(FloatMatrix m) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + m.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        out.asFloatBuffer().put(m.data());
        return out.array();
    }

    /** An int64 vector, for index arrays exchanged with NumPy scripts. */
    public static byte[] writeLongs(long[] values, int rows, int cols) {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        out.asLongBuffer().put(values);
        return out.array();
    }
}
