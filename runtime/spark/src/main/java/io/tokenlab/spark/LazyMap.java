package io.tokenlab.spark;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Maps a task's records one at a time, dropping those mapped to null: a split is never held in memory
 * whole.
 */
final class LazyMap<A, B> implements Iterator<B> {
    private final Iterator<A> in;
    private final Function<A, B> f;
    private B next;

    LazyMap(Iterator<A> in, Function<A, B> f) {
        this.in = in;
        this.f = f;
    }

    @Override
    public boolean hasNext() {
        while (next == null && in.hasNext()) {
            next = f.apply(in.next());
        }
        return next != null;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        B b = next;
        next = null;
        return b;
    }
}
