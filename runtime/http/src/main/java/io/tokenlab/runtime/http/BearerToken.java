package io.tokenlab.runtime.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** The operator's bearer token, compared in constant time so that timing reveals nothing of it. */
final class BearerToken {
    private final byte[] token;

    private BearerToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** The token from a file (its first line) or given directly; null when neither is set. */
    static BearerToken load(String file, String value) {
        if (file != null && !file.isBlank()) {
            Path p = Path.of(file.trim());
            String first;
            try {
                first = Files.readAllLines(p, StandardCharsets.UTF_8).stream().findFirst().orElse("").trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the bearer token file " + p + ": " + e.getMessage());
            }
            if (first.length() < 16) {
                throw new IllegalArgumentException("the bearer token in " + p + " has " + first.length()
                        + " characters; use at least 16 (e.g. openssl rand -hex 32 > " + p + ")");
            }
            return new BearerToken(first);
        }
        if (value != null && !value.isBlank()) {
            if (value.trim().length() < 16) {
                throw new IllegalArgumentException("the configured bearer token is shorter than 16 characters");
            }
            return new BearerToken(value.trim());
        }
        return null;
    }

    /** Whether an {@code Authorization} header carries this token. */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }
}
