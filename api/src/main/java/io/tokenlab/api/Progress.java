package io.tokenlab.api;

/**
 * Progress of long work. The runtime shows it on a terminal and stays quiet otherwise; techniques
 * report units of their own choosing (bytes, merges, rows).
 */
public interface Progress {
    /** A progress that shows nothing. */
    Progress NONE = new Progress() {
        @Override
        public void begin(String task, long total) {
        }

        @Override
        public void advance(long units) {
        }

        @Override
        public void end() {
        }
    };

    /** Starts a task of {@code total} units; {@code total <= 0} means unknown. */
    void begin(String task, long total);

    /** Records that {@code units} more units are done. Thread-safe. */
    void advance(long units);

    /** Ends the current task. */
    void end();
}
