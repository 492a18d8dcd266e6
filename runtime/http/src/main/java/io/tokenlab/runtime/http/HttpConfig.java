package io.tokenlab.runtime.http;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The frontend's settings (ConfigAdmin PID {@code io.tokenlab.http}). A framework or system property
 * {@code tokenlab.http.<name>} overrides the configured value, so one launch can differ from the file.
 */
@ObjectClassDefinition(name = "tokenlab HTTP frontend", description = "HTTP API and web console of the running runtime")
public @interface HttpConfig {
    @AttributeDefinition(description = "[HOST:]PORT served by 'tokenlab start' without --http; empty serves nothing "
            + "unless --http is given")
    String address() default "";

    @AttributeDefinition(description = "File holding the bearer token (first line). Needed to bind a non-loopback "
            + "address and to upload or delete bundles")
    String token_file() default "";

    @AttributeDefinition(description = "The bearer token itself (prefer token.file: configuration is readable by "
            + "anyone who can read the runtime's storage)")
    String token() default "";

    @AttributeDefinition(description = "Largest request body accepted, in bytes (larger ones get 413)", min = "1024")
    long max_body_bytes() default 64L * 1024 * 1024;

    @AttributeDefinition(description = "Longest a request may run, in milliseconds (longer ones get 503)", min = "100")
    long request_timeout_ms() default 120_000L;

    @AttributeDefinition(description = "Tokenizer served by the Hugging Face text-embeddings-inference shapes "
            + "POST /tokenize and POST /decode")
    String tei_technique() default "tokenizer/bpe";

    @AttributeDefinition(description = "Parameters of that tokenizer, as param=value pairs")
    String[] tei_params() default {"vocabulary=cl100k_base"};
}
