package io.tokenlab.runtime.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutputTargetTest {
    private static final byte[] NEW = "new\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRegularFileIsReplacedWholeAndKeepsItsPermissions(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        OutputTarget.write(target, NEW);
        assertThat(Files.readAllBytes(target)).isEqualTo(NEW);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-rw----");
        assertThat(temporaries(dir)).isEmpty();
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsWritten(@TempDir Path dir) throws Exception {
        Path real = Files.writeString(dir.resolve("real.txt"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("real.txt"));
        OutputTarget.write(link, NEW);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readAllBytes(real)).isEqualTo(NEW);
    }

    @Test
    void aFifoIsWrittenThroughNotReplaced(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        OutputTarget.write(fifo, NEW);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(NEW);
        assertThat(Files.isRegularFile(fifo)).as("still a FIFO").isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }

    @Test
    void aDeviceIsWrittenThroughNotReplaced() throws Exception {
        OutputTarget.write(Path.of("/dev/null"), NEW);
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
    }

    @Test
    void aDirectoryIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        assertThatThrownBy(() -> OutputTarget.write(dir, NEW)).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> OutputTarget.checkWritable(dir.resolve("sub") + "/"))
                .hasMessageContaining("is a directory");
        assertThat(Files.exists(dir.resolve("sub"))).isFalse();
    }

    @Test
    void aReadOnlyFolderIsNamedNotTheTemporaryFile(@TempDir Path dir) throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(ro)) {
                return; // running as a user who ignores permissions: nothing to check
            }
            assertThatThrownBy(() -> OutputTarget.write(ro.resolve("out.txt"), NEW))
                    .hasMessageContaining("cannot write " + ro.resolve("out.txt"))
                    .hasMessageNotContaining(".tmp");
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFullDiskFailsNamingTheTargetAndLeavesTheOldFile() throws Exception {
        assertThatThrownBy(() -> OutputTarget.write(Path.of("/dev/full"), NEW))
                .hasMessageContaining("cannot write /dev/full").hasMessageContaining("No space left on device");
    }

    @Test
    void temporariesOfDeadProcessesAreSweptThoseOfLiveOnesKept(@TempDir Path dir) throws Exception {
        Path dead = Files.writeString(dir.resolve(".out.txt.999999999.123.tmp"), "litter");
        long live = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        Path alive = Files.writeString(dir.resolve(".out.txt." + live + ".456.tmp"), "in progress");
        OutputTarget.write(dir.resolve("out.txt"), NEW);
        assertThat(Files.exists(dead)).isFalse();
        assertThat(Files.exists(alive)).isTrue();
    }

    private static java.util.List<Path> temporaries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }
}
