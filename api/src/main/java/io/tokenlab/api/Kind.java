package io.tokenlab.api;

import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.api.transplant.TransplantTechnique;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The five technique kinds. Each kind has one service interface and one pair of pipeline ports:
 * what a stage of that kind consumes and what it produces.
 */
public enum Kind {
    TOKENIZER("tokenizer", TokenizerTechnique.class, PortType.TEXT, PortType.TOKEN_IDS),
    TRANSPLANT("transplant", TransplantTechnique.class, PortType.EMBEDDINGS, PortType.EMBEDDINGS),
    PRUNE("prune", PruneTechnique.class, PortType.TOKEN_SET, PortType.INDICES),
    DECODER("decoder", DecoderTechnique.class, PortType.TEXT, PortType.TEXT),
    IMAGE("image", ImageTechnique.class, PortType.IMAGE, PortType.IMAGE);

    private final String kindName;
    private final Class<?> serviceType;
    private final PortType input;
    private final PortType output;

    Kind(String kindName, Class<?> serviceType, PortType input, PortType output) {
        this.kindName = kindName;
        this.serviceType = serviceType;
        this.input = input;
        this.output = output;
    }

    /** The lower-case name used before the slash in {@code tokenlab.technique}. */
    public String kindName() {
        return kindName;
    }

    /** The interface a plugin of this kind provides as its service. */
    public Class<?> serviceType() {
        return serviceType;
    }

    public PortType input() {
        return input;
    }

    public PortType output() {
        return output;
    }

    public static Kind fromName(String name) {
        for (Kind k : values()) {
            if (k.kindName.equals(name)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown technique kind '" + name + "'; accepted: "
                + Arrays.stream(values()).map(Kind::kindName).collect(Collectors.joining(", ")));
    }
}
