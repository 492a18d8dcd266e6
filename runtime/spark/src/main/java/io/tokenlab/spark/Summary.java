package io.tokenlab.spark;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.Serializable;

/** What a job encoded: documents, their UTF-8 bytes, the tokens they became. */
record Summary(@JsonProperty("documents") long documents, @JsonProperty("bytes") long bytes,
               @JsonProperty("tokens") long tokens) implements Serializable {
    static final Summary NONE = new Summary(0, 0, 0);

    Summary plus(Summary o) {
        return new Summary(documents + o.documents, bytes + o.bytes, tokens + o.tokens);
    }

    @JsonProperty("bytes_per_token")
    double bytesPerToken() {
        return tokens == 0 ? 0 : (double) bytes / tokens;
    }

    String json() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
