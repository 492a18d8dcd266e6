package io.tokenlab.runtime.pipeline;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The pipelines of a folder, re-read when their files change. An edit that does not pass the checks
 * keeps the last good version active and is reported; the folder is polled, so editors that replace
 * files by renaming work too.
 */
public final class PipelineStore implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PipelineStore.class.getName());

    private final Path folder;
    private final PipelineParser parser = new PipelineParser();
    private final Function<PipelineDefinition, CheckedPipeline> checker;
    private final Map<Path, Loaded> loaded = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private Thread poller;

    /** State of one file: the last good pipeline (may be null) and the latest problems (may be empty). */
    public record Loaded(Path file, long modified, CheckedPipeline active, String problems) {
        public String name() {
            return active != null ? active.name() : file.getFileName().toString();
        }
    }

    /**
     * @param checker checks a parsed definition against the registry; throws {@link PipelineCheckError}
     */
    public PipelineStore(Path folder, Function<PipelineDefinition, CheckedPipeline> checker) {
        this.folder = folder;
        this.checker = checker;
    }

    /** Unchecked carrier so that the checker can be a Function. */
    public static final class PipelineCheckError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public PipelineCheckError(PipelineException e) {
            super(e.getMessage(), e);
        }
    }

    public void start(long pollMillis) {
        scan();
        poller = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(pollMillis);
                    scan();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.warning("scanning " + folder + " failed: " + e);
                }
            }
        }, "tokenlab-pipelines-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    /** Re-reads files whose modification time changed; also re-checks files that had problems. */
    public synchronized void scan() {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.{yaml,yml}")) {
                ds.forEach(files::add);
            } catch (IOException e) {
                LOG.warning("cannot list " + folder + ": " + e.getMessage());
            }
        }
        loaded.keySet().removeIf(p -> !files.contains(p));
        for (Path f : files) {
            long modified;
            try {
                modified = Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
                continue;
            }
            Loaded before = loaded.get(f);
            if (before != null && before.modified == modified && before.problems.isEmpty()) {
                continue;
            }
            CheckedPipeline previous = before == null ? null : before.active;
            try {
                CheckedPipeline p = checker.apply(parser.parse(f));
                loaded.put(f, new Loaded(f, modified, p, ""));
                if (before != null && !before.problems.isEmpty() || previous != null) {
                    LOG.info("pipeline " + f.getFileName() + " (re)loaded");
                }
            } catch (PipelineException e) {
                report(f, modified, previous, before, e.getMessage());
            } catch (PipelineCheckError e) {
                report(f, modified, previous, before, e.getMessage());
            }
        }
    }

    private void report(Path f, long modified, CheckedPipeline previous, Loaded before, String problems) {
        if (before == null || !problems.equals(before.problems)) {
            LOG.warning("pipeline " + f.getFileName() + " has problems"
                    + (previous != null ? "; keeping the last good version" : "") + ":\n" + problems);
        }
        loaded.put(f, new Loaded(f, modified, previous, problems));
    }

    /** Every pipeline file by name, sorted. */
    public List<Loaded> all() {
        return new ArrayList<>(new TreeMap<>(loaded).values());
    }

    /** The active version of a pipeline by its name or file name. */
    public CheckedPipeline find(String name) {
        for (Loaded l : loaded.values()) {
            if (l.active != null && (l.active.name().equals(name) || l.file.getFileName().toString().equals(name)
                    || l.file.getFileName().toString().equals(name + ".yaml"))) {
                return l.active;
            }
        }
        return null;
    }

    /** The problems of a pipeline file that is not active, found by pipeline or file name; empty if none. */
    public String problemsOf(String name) {
        for (Loaded l : loaded.values()) {
            String file = l.file.getFileName().toString();
            if (!l.problems.isEmpty() && (file.equals(name) || file.equals(name + ".yaml") || file.equals(name + ".yml"))) {
                return l.problems;
            }
        }
        return "";
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
