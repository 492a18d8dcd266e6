package io.tokenlab.runtime.cli;

import io.tokenlab.runtime.io.OutputTarget;

import org.osgi.framework.BundleContext;
import org.osgi.framework.launch.Framework;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Makes the command-line process end, and end clean, whatever happens inside the framework:
 * <ul>
 *   <li>on SIGTERM or SIGINT the temporary output files and the framework's per-process storage
 *       folder are deleted and the JVM ends with 128 + the signal; after a command has finished, the
 *       storage folder is deleted once the launcher has stopped the framework;</li>
 *   <li>the process never waits longer than {@link #DEADLINE_MILLIS} for the framework to stop
 *       (a thread that died inside Felix, say, would otherwise keep the JVM up for good): after that
 *       it halts with the exit code it was going to give (143 for a signal).</li>
 * </ul>
 * Everything the shutdown path runs is loaded when the guard is installed: at shutdown the bundle's
 * class loader may already be gone.
 */
public final class ProcessGuard {
    static final long DEADLINE_MILLIS = Long.getLong("tokenlab.exit.deadline", 5000L);
    /** Folders named so are this launcher's framework storage (see the tokenlab script), safe to delete. */
    private static final String STORAGE_PREFIX = "tokenlab-fw.";
    private static volatile int exitCode = 143;
    private static volatile boolean installed;
    private static volatile boolean commandDone;

    private ProcessGuard() {
    }

    /** Installs the guard once per process. */
    public static synchronized void install(BundleContext context) {
        if (installed) {
            return;
        }
        installed = true;
        Framework framework = (Framework) context.getBundle(0);
        String storage = context.getProperty("org.osgi.framework.storage");
        OutputTarget.deleteTemporaries(); // loads the class now
        OnShutdown onShutdown = new OnShutdown(framework, storage);
        Runtime.getRuntime().addShutdownHook(new Thread(onShutdown, "tokenlab-shutdown"));
        try {
            SignalExit.install(onShutdown);
        } catch (LinkageError e) {
            // the framework does not export sun.misc: the shutdown hook alone cleans up
        }
    }

    /**
     * SIGTERM, SIGINT and SIGHUP end the process at once, after deleting its temporary files and its
     * storage folder, with 128 + the signal. Without this, the JVM's shutdown would stop the framework
     * under a command that is still running, which then fails on classes of stopped bundles (and says
     * so), while Felix writes into a storage folder that is being deleted.
     */
    private static final class SignalExit implements sun.misc.SignalHandler {
        private final OnShutdown cleanup;

        private SignalExit(OnShutdown cleanup) {
            this.cleanup = cleanup;
        }

        static void install(OnShutdown cleanup) {
            SignalExit handler = new SignalExit(cleanup);
            for (String name : new String[] {"TERM", "INT", "HUP"}) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
                } catch (IllegalArgumentException e) {
                    // the signal is ignored by the parent (nohup, a background job) or not on this OS: leave it
                }
            }
        }

        @Override
        public void handle(sun.misc.Signal signal) {
            OutputTarget.deleteTemporaries();
            cleanup.deleteStorage();
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(128 + signal.getNumber());
        }
    }

    /**
     * Called when the command has its exit code: from here on the process must end, so a framework
     * that does not stop within the deadline is halted with that code.
     */
    static void exiting(int code) {
        exitCode = code;
        commandDone = true;
        Thread t = new Thread(new Halt(DEADLINE_MILLIS * 2), "tokenlab-exit-deadline");
        t.setDaemon(true);
        t.start();
    }

    private static final class Halt implements Runnable {
        private final long millis;

        Halt(long millis) {
            this.millis = millis;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("tokenlab: the framework did not stop within " + millis + " ms; exiting");
            Runtime.getRuntime().halt(exitCode);
        }
    }

    private static final class OnShutdown implements Runnable {
        private final Framework framework;
        private final String storage;
        private final Halt halt = new Halt(DEADLINE_MILLIS);
        private final DeleteTree deleteTree = new DeleteTree();

        OnShutdown(Framework framework, String storage) {
            this.framework = framework;
            this.storage = storage;
        }

        @Override
        public void run() {
            OutputTarget.deleteTemporaries();
            Thread deadline = new Thread(halt, "tokenlab-stop-deadline");
            deadline.setDaemon(true);
            deadline.start();
            if (!commandDone) {
                // a signal: the framework is not stopped first, since a command still running would then fail
                // on classes of stopped bundles and print that; the JVM ends with 128 + the signal
                deleteStorage();
                return;
            }
            try {
                framework.waitForStop(DEADLINE_MILLIS); // the launcher is stopping it
            } catch (InterruptedException | IllegalStateException e) {
                // the deadline still ends the process
            }
            deleteStorage();
        }

        private void deleteStorage() {
            if (storage != null && Path.of(storage).getFileName().toString().startsWith(STORAGE_PREFIX)) {
                try {
                    Files.walkFileTree(Path.of(storage), deleteTree);
                } catch (IOException e) {
                    // the next run sweeps the folders of processes that are gone
                }
            }
        }
    }

    private static final class DeleteTree extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
        }
    }
}
