package io.tokenlab.runtime.registry;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The names of a class's methods in the order its class file lists them, which is the order of the
 * source for javac. {@code Class.getDeclaredMethods} gives them in no particular order, and a list of
 * parameters should read as its author wrote it.
 */
final class ClassFileOrder {
    private ClassFileOrder() {
    }

    /** The method names in class-file order; empty when the class file cannot be read. */
    static List<String> methodNames(Class<?> type) {
        String resource = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream raw = type.getResourceAsStream(resource)) {
            return raw == null ? List.of() : read(new DataInputStream(raw));
        } catch (IOException | RuntimeException e) {
            return List.of(); // then the names sort alphabetically: a worse order, never a failure
        }
    }

    private static List<String> read(DataInputStream in) throws IOException {
        in.readInt(); // magic
        in.readInt(); // minor, major version
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 5, 6 -> {
                    in.skipNBytes(8);
                    i++; // a long or double takes two slots
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 15 -> in.skipNBytes(3);
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                default -> throw new IOException("constant pool tag " + tag);
            }
        }
        in.skipNBytes(6); // access flags, this class, super class
        in.skipNBytes(2L * in.readUnsignedShort()); // interfaces
        skipMembers(in, null, utf8);
        List<String> methods = new ArrayList<>();
        skipMembers(in, methods, utf8);
        return methods;
    }

    private static void skipMembers(DataInputStream in, List<String> names, String[] utf8) throws IOException {
        int members = in.readUnsignedShort();
        for (int m = 0; m < members; m++) {
            in.skipNBytes(2); // access flags
            int name = in.readUnsignedShort();
            in.skipNBytes(2); // descriptor
            if (names != null) {
                names.add(utf8[name]);
            }
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.skipNBytes(2);
                in.skipNBytes(in.readInt() & 0xffffffffL);
            }
        }
    }
}
