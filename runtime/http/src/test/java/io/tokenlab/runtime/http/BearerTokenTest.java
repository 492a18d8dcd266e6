package io.tokenlab.runtime.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BearerTokenTest {
    @Test
    void acceptsOnlyTheExactTokenFromTheFilesFirstLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, "0123456789abcdef0123\nsecond line\n");
        BearerToken t = BearerToken.load(f.toString(), null);
        assertThat(t.accepts("Bearer 0123456789abcdef0123")).isTrue();
        assertThat(t.accepts("bearer 0123456789abcdef0123")).isTrue();
        assertThat(t.accepts("Bearer 0123456789abcdef012")).isFalse();
        assertThat(t.accepts("Basic 0123456789abcdef0123")).isFalse();
        assertThat(t.accepts(null)).isFalse();
    }

    @Test
    void noTokenConfiguredIsNullAndShortOrMissingFilesAreClearErrors(@TempDir Path dir) throws Exception {
        assertThat(BearerToken.load("", "")).isNull();
        Path f = dir.resolve("short");
        Files.writeString(f, "abc\n");
        assertThatThrownBy(() -> BearerToken.load(f.toString(), null)).hasMessageContaining("has 3 characters");
        assertThatThrownBy(() -> BearerToken.load(dir.resolve("none").toString(), null))
                .hasMessageContaining("cannot read the bearer token file");
    }
}
