package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Arrays;

/** A growable int array: ids and boundaries without boxing. */
final class IntList {
    int[] values;
    int size;

    IntList(int capacity) {
        values = new int[Math.max(4, capacity)];
    }

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        values[size++] = v;
    }

    int get(int i) {
        return values[i];
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
