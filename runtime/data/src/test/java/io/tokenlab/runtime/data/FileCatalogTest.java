package io.tokenlab.runtime.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCatalogTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    /** A package that is already unpacked in a directory, so tests need no registry. */
    private record LocalPackage(Path root) implements PackageSource {
        @Override
        public String registry() {
            return "local";
        }

        @Override
        public String coordinates() {
            return root.getFileName().toString();
        }

        @Override
        public Path fetchAndUnpack(Path workDir) throws IOException {
            Path copy = workDir.resolve("unpacked");
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    Path out = copy.resolve(root.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(out);
                    } else {
                        Files.copy(p, out);
                    }
                }
            }
            return copy;
        }
    }

    @Test
    void builtInCatalogNamesTheVocabulariesAndCorpora() {
        FileCatalog catalog = new FileCatalog(Path.of("unused"));
        assertThat(catalog.names()).contains("cl100k_base", "o200k_base", "p50k_base", "r50k_base", "gpt2",
                "llama2", "gemma3", "qwen3", "linux-doc", "python-doc", "perl-doc", "pandas-doc", "sotu", "moby-dick", "udhr");
        assertThat(catalog.entries("gpt2")).hasSize(2);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        FileCatalog catalog = new FileCatalog(Path.of("unused"));
        assertThatThrownBy(() -> catalog.fetch("cl99k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cl99k").hasMessageContaining("cl100k_base");
    }

    @Test
    void fetchesVerifiesAndCachesAFile(@TempDir Path tmp) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("pkg/dir"));
        Files.writeString(pkg.resolve("hello.txt"), "hello");
        FileCatalog catalog = new FileCatalog(tmp.resolve("data"), List.of(
                new DataSetEntry("greeting", new LocalPackage(tmp.resolve("pkg")), "dir/hello.txt", 1, HELLO_SHA256)));
        Path fetched = catalog.fetch("greeting");
        assertThat(fetched).isEqualTo(tmp.resolve("data/greeting/hello.txt"));
        assertThat(Files.readString(fetched)).isEqualTo("hello");
        assertThat(catalog.fetch("greeting")).isEqualTo(fetched);
        catalog.verify("greeting");
        assertThat(leftovers(tmp.resolve("data"))).isEmpty();
    }

    @Test
    void wrongDigestNamesFileExpectedAndActualAndLeavesNothing(@TempDir Path tmp) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Files.writeString(pkg.resolve("vocab.txt"), "hello");
        String wrong = "0".repeat(64);
        FileCatalog catalog = new FileCatalog(tmp.resolve("data"), List.of(
                new DataSetEntry("vocab", new LocalPackage(pkg), "vocab.txt", 1, wrong)));
        assertThatThrownBy(() -> catalog.fetch("vocab")).isInstanceOf(IOException.class)
                .hasMessageContaining("vocab.txt").hasMessageContaining(wrong).hasMessageContaining(HELLO_SHA256);
        assertThat(catalog.isCached("vocab")).isFalse();
        assertThat(leftovers(tmp.resolve("data"))).isEmpty();
    }

    @Test
    void truncatedFileFailsTheSameWay(@TempDir Path tmp) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Files.writeString(pkg.resolve("vocab.txt"), "hell");
        FileCatalog catalog = new FileCatalog(tmp.resolve("data"), List.of(
                new DataSetEntry("vocab", new LocalPackage(pkg), "vocab.txt", 1, HELLO_SHA256)));
        assertThatThrownBy(() -> catalog.fetch("vocab")).isInstanceOf(IOException.class)
                .hasMessageContaining("vocab.txt").hasMessageContaining("4 bytes").hasMessageContaining(HELLO_SHA256);
        assertThat(leftovers(tmp.resolve("data"))).isEmpty();
    }

    /** Several catalogs (as several runs) fetch one directory data set at once: all get it, one copy is made. */
    @Test
    void concurrentFirstFetchesOfADirectorySetAllSucceed(@TempDir Path tmp) throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("pkg/texts"));
        Files.writeString(tree.resolve("a.txt"), "alpha");
        String digest = FileCatalog.treeDigest(tree);
        java.util.concurrent.atomic.AtomicInteger unpacks = new java.util.concurrent.atomic.AtomicInteger();
        PackageSource counting = new PackageSource() {
            @Override
            public String registry() {
                return "local";
            }

            @Override
            public String coordinates() {
                return "pkg";
            }

            @Override
            public Path fetchAndUnpack(Path workDir) throws IOException {
                unpacks.incrementAndGet();
                try {
                    Thread.sleep(200); // long enough for every other fetch to arrive meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new LocalPackage(tmp.resolve("pkg")).fetchAndUnpack(workDir);
            }
        };
        int runs = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(runs);
        List<java.util.concurrent.Future<Path>> results = new java.util.ArrayList<>();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < runs; i++) {
            FileCatalog own = new FileCatalog(tmp.resolve("data"), List.of(
                    new DataSetEntry("texts", counting, "texts/", 1, digest)));
            results.add(pool.submit(() -> {
                go.await();
                return own.fetch("texts");
            }));
        }
        go.countDown();
        for (java.util.concurrent.Future<Path> r : results) {
            assertThat(Files.readString(r.get().resolve("a.txt"))).isEqualTo("alpha");
        }
        pool.shutdown();
        assertThat(unpacks.get()).as("one run downloads, the others wait for it").isEqualTo(1);
        assertThat(leftovers(tmp.resolve("data"))).isEmpty();
    }

    @Test
    void treeDigestCoversEveryFileAndTheirCount(@TempDir Path tmp) throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("pkg/texts"));
        Files.writeString(tree.resolve("a.txt"), "alpha");
        Files.createDirectories(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/b.txt"), "beta");
        String digest = FileCatalog.treeDigest(tree);
        FileCatalog good = new FileCatalog(tmp.resolve("data"), List.of(
                new DataSetEntry("texts", new LocalPackage(tmp.resolve("pkg")), "texts/", 2, digest)));
        assertThat(good.fetch("texts")).isEqualTo(tmp.resolve("data/texts/texts"));
        assertThat(Files.readString(good.fetch("texts").resolve("sub/b.txt"))).isEqualTo("beta");

        Files.writeString(tree.resolve("sub/b.txt"), "bet");
        FileCatalog changed = new FileCatalog(tmp.resolve("data2"), List.of(
                new DataSetEntry("texts", new LocalPackage(tmp.resolve("pkg")), "texts/", 2, digest)));
        assertThatThrownBy(() -> changed.fetch("texts")).isInstanceOf(IOException.class)
                .hasMessageContaining("texts/").hasMessageContaining(digest);
        assertThat(leftovers(tmp.resolve("data2"))).isEmpty();
    }

    @Test
    void missingPathInPackageIsNamed(@TempDir Path tmp) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        FileCatalog catalog = new FileCatalog(tmp.resolve("data"), List.of(
                new DataSetEntry("vocab", new LocalPackage(pkg), "models/tokenizer.json", 1, HELLO_SHA256)));
        assertThatThrownBy(() -> catalog.fetch("vocab")).isInstanceOf(IOException.class)
                .hasMessageContaining("models/tokenizer.json");
    }

    @Test
    void catalogSyntaxErrorsNameTheLine() {
        String text = "# comment\nok maven a:b:1 x.txt sha256:" + HELLO_SHA256 + "\nbad npm pkg@1 y.txt md5:abc\n";
        assertThatThrownBy(() -> FileCatalog.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.txt"))
                .isInstanceOf(IOException.class).hasMessageContaining("test.txt:3").hasMessageContaining("md5:abc");
    }

    @Test
    void fetchesARealVocabularyFromTheMavenRegistry(@TempDir Path tmp) throws IOException {
        FileCatalog catalog = new FileCatalog(tmp);
        Path file = catalog.fetch("r50k_base");
        assertThat(file.getFileName().toString()).isEqualTo("r50k_base.tiktoken");
        assertThat(Files.size(file)).isGreaterThan(800_000);
    }

    private static List<Path> leftovers(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dataDir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(".partial-")).toList();
        }
    }
}
