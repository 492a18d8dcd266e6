package io.tokenlab.api.pipeline;

/**
 * What flows between pipeline stages, and how {@code --input}/{@code --output} files carry it.
 */
public enum PortType {
    /** UTF-8 text, processed line by line; values are {@code List<String>} of lines without line breaks. */
    TEXT("text", "UTF-8 text, one item per line"),
    /** One {@code int[]} per input line; files hold one line of space-separated ids per input line. */
    TOKEN_IDS("token-ids", "one line of space-separated token ids per input line"),
    /** An embedding table bound to its vocabulary; files are safetensors. */
    EMBEDDINGS("embeddings", "safetensors (F32/F16/BF16) with the vocabulary in the metadata"),
    /** A token set to prune; files are safetensors with a {@code features} tensor. */
    TOKEN_SET("token-set", "safetensors with a 'features' tensor (N x D) and optional 'scores'"),
    /** Kept indices; files hold one index per line. */
    INDICES("indices", "one index per line, ascending"),
    /** An image; files are PNG or JPEG in, PNG out. */
    IMAGE("image", "PNG or JPEG in, PNG out"),
    /** Image tokens; files are one line of space-separated ids. */
    IMAGE_TOKENS("image-tokens", "one line of space-separated token ids");

    private final String portName;
    private final String fileFormat;

    PortType(String portName, String fileFormat) {
        this.portName = portName;
        this.fileFormat = fileFormat;
    }

    public String portName() {
        return portName;
    }

    /** How a file bound to this port by {@code --input} or {@code --output} is read or written. */
    public String fileFormat() {
        return fileFormat;
    }
}
