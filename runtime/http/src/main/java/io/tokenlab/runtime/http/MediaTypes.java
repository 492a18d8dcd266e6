package io.tokenlab.runtime.http;

import io.tokenlab.api.pipeline.PortType;

/** The media type of each port's file format, for binary request and response bodies. */
final class MediaTypes {
    private MediaTypes() {
    }

    static String of(PortType port) {
        switch (port) {
            case IMAGE:
                return "image/png";
            case EMBEDDINGS:
            case TOKEN_SET:
                return "application/octet-stream";
            default:
                return "text/plain; charset=utf-8";
        }
    }
}
