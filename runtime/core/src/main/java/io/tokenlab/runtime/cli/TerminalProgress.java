package io.tokenlab.runtime.cli;

import io.tokenlab.api.Progress;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on the terminal: one line on stderr redrawn at most ten times a second. When stderr is
 * not a terminal (a pipe, a file, CI) it prints nothing.
 */
public final class TerminalProgress implements Progress {
    private final PrintStream out;
    private final boolean enabled;
    private final AtomicLong done = new AtomicLong();
    private volatile String task = "";
    private volatile long total;
    private volatile long lastDraw;
    private volatile long started;

    public TerminalProgress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    /** Enabled only when the process has a console, as tools like curl and cargo do. */
    public static Progress forConsole() {
        return new TerminalProgress(System.err, System.console() != null);
    }

    @Override
    public void begin(String task, long total) {
        this.task = task;
        this.total = total;
        this.done.set(0);
        this.started = System.nanoTime();
        draw(true);
    }

    @Override
    public void advance(long units) {
        done.addAndGet(units);
        draw(false);
    }

    @Override
    public void end() {
        draw(true);
        if (enabled) {
            out.print('\n');
            out.flush();
        }
    }

    private void draw(boolean force) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        long d = done.get();
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        String line = total > 0
                ? String.format("\r%s: %d/%d (%.0f%%) %.1f s", task, d, total, 100.0 * d / total, seconds)
                : String.format("\r%s: %d %.1f s", task, d, seconds);
        synchronized (out) {
            out.print(line);
            out.flush();
        }
    }
}
