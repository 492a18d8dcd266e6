package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0-3.0): a magic string, a Python-literal header with
 * {@code descr}, {@code fortran_order} and {@code shape}, then the array data. 2-D arrays N x D of
 * float32, float64, float16 or integer types are read as float matrices (a token set has one row per
 * token, so a 1-D array is refused rather than guessed to be one row); {@code .npy} is written as
 * little-endian float32, C order.
 */
public final class Npy {
    /** The most elements a Java array holds on common JVMs (a few header words below Integer.MAX_VALUE). */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern DTYPE = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d{1,2})");
    private static final String ACCEPTED_DTYPES = "float16/32/64 ('<f2', '<f4', '<f8'), int8/16/32/64 ('|i1', "
            + "'<i2', '<i4', '<i8'), uint8/16/32/64 ('|u1', '<u2', '<u4', '<u8'), little- ('<') or big-endian ('>')";

    /** An element type this reader decodes, with how one element at index i becomes a float. */
    private enum Dtype {
        F2(2) {
            float get(ByteBuffer b, int i) {
                return HalfFloats.f16ToFloat(b.getShort(i * 2));
            }
        },
        F4(4) {
            float get(ByteBuffer b, int i) {
                return b.getFloat(i * 4);
            }
        },
        F8(8) {
            float get(ByteBuffer b, int i) {
                return (float) b.getDouble(i * 8);
            }
        },
        I1(1) {
            float get(ByteBuffer b, int i) {
                return b.get(i);
            }
        },
        I2(2) {
            float get(ByteBuffer b, int i) {
                return b.getShort(i * 2);
            }
        },
        I4(4) {
            float get(ByteBuffer b, int i) {
                return b.getInt(i * 4);
            }
        },
        I8(8) {
            float get(ByteBuffer b, int i) {
                return b.getLong(i * 8);
            }
        },
        U1(1) {
            float get(ByteBuffer b, int i) {
                return b.get(i) & 0xff;
            }
        },
        U2(2) {
            float get(ByteBuffer b, int i) {
                return b.getShort(i * 2) & 0xffff;
            }
        },
        U4(4) {
            float get(ByteBuffer b, int i) {
                return b.getInt(i * 4) & 0xffffffffL;
            }
        },
        U8(8) {
            float get(ByteBuffer b, int i) {
                long v = b.getLong(i * 8);
                // unsigned: halve (keeping the low bit for rounding), convert, double
                return v >= 0 ? v : 2f * ((v >>> 1) | (v & 1));
            }
        };

        final int width;

        Dtype(int width) {
            this.width = width;
        }

        abstract float get(ByteBuffer b, int i);
    }

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

    /** A 2-D array as a matrix; every problem is an IOException that starts with {@code name}. */
    public static FloatMatrix read(byte[] bytes, String name) throws IOException {
        if (!looksLikeNpy(bytes) || bytes.length < 10) {
            throw new IOException(name + ": not a .npy file (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IOException(name + ": truncated .npy header (" + bytes.length + " bytes)");
            }
            headerLength = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new IOException(name + ": .npy version " + major + " is not supported; accepted: 1, 2, 3");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new IOException(name + ": truncated .npy header: it declares " + headerLength
                    + " bytes, the file has " + (bytes.length - headerStart) + " after the preamble");
        }
        String header = new String(bytes, headerStart, (int) headerLength, major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1);
        Element element = dtype(header, name);
        Dtype dtype = element.type();
        Matcher f = FORTRAN.matcher(header);
        if (!f.find()) {
            throw lacks(name, "fortran_order", header);
        }
        Matcher s = SHAPE.matcher(header);
        if (!s.find()) {
            throw lacks(name, "shape", header);
        }
        String shapeText = "(" + s.group(1).trim() + ")";
        long[] shape = shape(s.group(1), shapeText, name);
        if (shape.length != 2) {
            String single = shape.length == 1 ? "; a single row is shape (1, " + shape[0] + ")" : "";
            throw new IOException(name + ": shape " + shapeText + " has " + shape.length + " dimension"
                    + (shape.length == 1 ? "" : "s") + "; accepted: a 2-D array N x D (one row per token)" + single);
        }
        long count;
        try {
            count = Math.multiplyExact(shape[0], shape[1]);
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > MAX_ELEMENTS) {
            throw new IOException(name + ": shape " + shapeText + " has "
                    + java.math.BigInteger.valueOf(shape[0]).multiply(java.math.BigInteger.valueOf(shape[1]))
                    + " elements; accepted: at most " + MAX_ELEMENTS + " (the largest Java array)");
        }
        if (Math.max(shape[0], shape[1]) > MAX_ELEMENTS) { // an empty array, (0, 4294967296), is still no matrix
            throw new IOException(name + ": shape " + shapeText + " has a dimension beyond " + MAX_ELEMENTS
                    + "; accepted: at most that many rows and columns (the largest Java array)");
        }
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        long dataStart = headerStart + headerLength;
        long needed = count * dtype.width;
        if (dataStart + needed > bytes.length) {
            throw new IOException(name + ": shape " + shapeText + " of " + dtype.name().toLowerCase() + " needs "
                    + needed + " bytes of data, the file has " + (bytes.length - dataStart) + "; truncated");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, bytes.length - (int) dataStart).slice()
                .order(element.order());
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.get(data, i);
        }
        FloatMatrix m = new FloatMatrix(rows, cols, out);
        if (f.group(1).equals("True")) {
            m = new FloatMatrix(cols, rows, out).transpose();
        }
        return m;
    }

    private static IOException lacks(String name, String key, String header) {
        return new IOException(name + ": .npy header lacks '" + key + "'; a header has 'descr', 'fortran_order' "
                + "and 'shape': " + header.trim());
    }

    /** The element type and byte order that {@code descr} names. */
    private record Element(Dtype type, ByteOrder order) {
    }

    private static Element dtype(String header, String name) throws IOException {
        Matcher d = DESCR.matcher(header);
        if (!d.find()) {
            throw lacks(name, "descr", header);
        }
        String descr = d.group(1);
        Matcher t = DTYPE.matcher(descr);
        Dtype dtype = null;
        if (t.matches()) {
            try {
                dtype = Dtype.valueOf(t.group(2).toUpperCase() + Integer.parseInt(t.group(3)));
            } catch (IllegalArgumentException e) {
                dtype = null;
            }
            if (!t.group(2).equals(t.group(2).toLowerCase())) {
                dtype = null;
            }
        }
        if (dtype == null) {
            throw new IOException(name + ": dtype '" + descr + "'" + describe(descr) + " is not supported; accepted: "
                    + ACCEPTED_DTYPES);
        }
        ByteOrder order = t.group(1).equals(">") ? ByteOrder.BIG_ENDIAN
                : t.group(1).equals("=") ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        return new Element(dtype, order);
    }

    /** NumPy's name for the kinds people meet, so that the message says what the file holds. */
    private static String describe(String descr) {
        String kind = descr.replaceAll("^[<>|=]", "");
        if (kind.startsWith("c")) {
            return " (complex)";
        }
        if (kind.startsWith("b")) {
            return " (boolean)";
        }
        if (kind.startsWith("U") || kind.startsWith("S")) {
            return " (strings)";
        }
        if (kind.startsWith("O")) {
            return " (Python objects)";
        }
        if (kind.startsWith("M") || kind.startsWith("m")) {
            return " (dates or time spans)";
        }
        if (kind.startsWith("V") || descr.isEmpty()) {
            return " (raw or structured records)";
        }
        return "";
    }

    private static long[] shape(String dims, String shapeText, String name) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String part : dims.split(",", -1)) {
            String dim = part.trim();
            if (dim.isEmpty()) {
                continue; // the trailing comma of a 1-tuple, (8,)
            }
            long v;
            try {
                v = Long.parseLong(dim.endsWith("L") ? dim.substring(0, dim.length() - 1) : dim);
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 0) {
                throw new IOException(name + ": shape " + shapeText + " has dimension '" + dim
                        + "'; accepted: non-negative integers");
            }
            out.add(v);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** A float32, C-order, little-endian {@code .npy} file. */
    public static byte[] write(FloatMatrix m) {
        ByteBuffer out = withHeader("<f4", m.rows(), m.cols(), 4);
        out.asFloatBuffer().put(m.data());
        return out.array();
    }

    /**
     * An int64, C-order, little-endian {@code .npy} file of {@code rows x cols} values in row order: index
     * arrays (e.g. the atoms a sparse code picked) exchanged with NumPy scripts, which read them as integers.
     */
    public static byte[] writeLongs(long[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values for shape (" + rows + ", " + cols + ")");
        }
        ByteBuffer out = withHeader("<i8", rows, cols, 8);
        out.asLongBuffer().put(values);
        return out.array();
    }

    /** A buffer holding the version 1.0 preamble and header, positioned at the data. */
    private static ByteBuffer withHeader(String descr, int rows, int cols, int width) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64; // header padded so the data is 64-byte aligned, as NumPy does
        byte[] h = (dict + " ".repeat(padding) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + h.length + rows * cols * width).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        return out;
    }
}
