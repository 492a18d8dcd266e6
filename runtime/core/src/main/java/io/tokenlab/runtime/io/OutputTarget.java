package io.tokenlab.runtime.io;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a run's output goes, written so that nothing is lost or half-written:
 * <ul>
 *   <li>a regular file (or a path that does not exist yet) is written to a temporary file next to
 *       it and renamed over it, so the target is either the old file or the complete new one;</li>
 *   <li>a symbolic link is followed, and the file it points to is replaced the same way;</li>
 *   <li>a FIFO, a device or another special file is written through, never replaced;</li>
 *   <li>standard output is written unbuffered and every write error is reported, never ignored.</li>
 * </ul>
 * Temporary files carry the writer's process id ({@code .NAME.PID.RANDOM.tmp}); those left by a
 * process that no longer runs (killed with SIGKILL) are removed by the next write to the same target,
 * and those of this process by {@link #deleteTemporaries()} on SIGTERM.
 */
public final class OutputTarget {
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();

    private OutputTarget() {
    }

    /** Thrown with a message that names the target and the reason, never the temporary file. */
    public static final class OutputException extends IOException {
        private static final long serialVersionUID = 1L;

        OutputException(String message) {
            super(message);
        }
    }

    /**
     * Refuses an output path that cannot take a file, before any work is done: an existing
     * directory, a path written as a directory ({@code out/}), or a missing parent that is a file.
     */
    public static void checkWritable(String output) throws OutputException {
        Path target = Path.of(output);
        if (output.endsWith("/") || Files.isDirectory(target)) {
            throw new OutputException("--output " + output + " is a directory; give a file path, e.g. "
                    + target.resolve("out.txt"));
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new OutputException("--output " + output + ": " + parent + " is not a directory");
        }
    }

    /** Refuses, before any work, standard output that the launcher script found closed. */
    public static void checkStdout() throws OutputException {
        if (Boolean.parseBoolean(System.getenv().getOrDefault("TOKENLAB_STDOUT_CLOSED", "false"))) {
            throw new OutputException("cannot write standard output: it is closed; give --output FILE");
        }
    }

    /** Writes {@code bytes} to standard output, failing on any write error (full disk, closed pipe). */
    public static void writeStdout(byte[] bytes) throws OutputException {
        checkStdout();
        System.out.flush();
        // not System.out: a PrintStream swallows write errors
        try {
            OutputStream out = new FileOutputStream(FileDescriptor.out);
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new OutputException("cannot write standard output: " + reason(e));
        }
    }

    /** Writes {@code bytes} to {@code output} as described in the class comment. */
    public static void write(Path output, byte[] bytes) throws OutputException {
        checkWritable(output.toString());
        Path target = followLinks(output);
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                out.write(bytes);
            } catch (IOException e) {
                throw new OutputException("cannot write " + output + ": " + reason(e));
            }
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException("cannot write " + output + ": cannot create its folder " + dir + ": " + reason(e));
        }
        sweepStale(dir, target.getFileName().toString());
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + "." + PID + ".", ".tmp");
        } catch (IOException e) {
            throw new OutputException("cannot write " + output + ": the folder " + dir + " does not take new files ("
                    + reason(e) + ")");
        }
        TEMPORARIES.add(tmp);
        try {
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, permissionsFor(target));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (UnsupportedOperationException e) {
            throw new OutputException("cannot write " + output + ": " + e.getMessage());
        } catch (IOException e) {
            throw new OutputException("cannot write " + output + ": " + reason(e) + "; the file is unchanged");
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more can be done; the next write to this target sweeps it
            }
            TEMPORARIES.remove(tmp);
        }
    }

    /** Deletes this process's temporary files; called on SIGTERM, from a shutdown hook. */
    public static void deleteTemporaries() {
        for (Path p : TEMPORARIES) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort at shutdown
            }
        }
    }

    /** The file a chain of symbolic links ends at (which need not exist yet). */
    static Path followLinks(Path path) throws OutputException {
        Path p = path;
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                throw new OutputException("--output " + path + ": too many levels of symbolic links");
            }
            try {
                Path link = Files.readSymbolicLink(p);
                Path parent = p.toAbsolutePath().getParent();
                p = parent == null ? link : parent.resolve(link);
            } catch (IOException e) {
                throw new OutputException("--output " + path + ": cannot read the symbolic link: " + reason(e));
            }
        }
        return p;
    }

    /** An existing file keeps its permissions; a new one reads like any other (0644). */
    private static Set<PosixFilePermission> permissionsFor(Path target) {
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return Files.getPosixFilePermissions(target);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // fall back to the default below
        }
        return PosixFilePermissions.fromString("rw-r--r--");
    }

    /** Removes temporary files for {@code name} whose writer process is gone. */
    private static void sweepStale(Path dir, String name) {
        Pattern own = Pattern.compile("\\." + Pattern.quote(name) + "\\.(\\d+)\\.\\d+\\.tmp");
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = own.matcher(f.getFileName().toString());
                if (m.matches() && !alive(Long.parseLong(m.group(1)))) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException ignored) {
                        // another run may be sweeping the same file
                    }
                }
            });
        } catch (IOException | NumberFormatException e) {
            // sweeping is housekeeping; the write itself reports real problems
        }
    }

    private static boolean alive(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** A reason without the temporary file's name: what the user can act on. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
