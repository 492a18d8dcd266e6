package io.tokenlab.api.pipeline;

/**
 * Service properties with which a component states the ports of its pipeline stage when they are not
 * its kind's, e.g. a tokenizer-named text transform that takes and gives text:
 * {@code @Component(property = {PortOverrides.INPUT + "=text", PortOverrides.OUTPUT + "=text"})}.
 * The values are {@link PortType#portName()}s. Constants, so that a plugin's annotation and the
 * runtime that reads it cannot spell the key differently.
 */
public final class PortOverrides {
    /** The stage's input port, by {@link PortType#portName()}. */
    public static final String INPUT = "tokenlab.input";
    /** The stage's output port, by {@link PortType#portName()}. */
    public static final String OUTPUT = "tokenlab.output";

    private PortOverrides() {
    }
}
