package io.tokenlab.runtime.registry;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;

import static org.assertj.core.api.Assertions.assertThat;

class ComponentFailuresTest {
    @Test
    void theRootCauseOfAWrappedActivationFailureIsNamed() {
        Exception thrown = new IllegalStateException("vocabulary file /x/vocab.json is missing\nsecond line");
        Exception wrapped = new RuntimeException("component activation failed",
                new InvocationTargetException(thrown));
        StringWriter trace = new StringWriter();
        wrapped.printStackTrace(new PrintWriter(trace));
        assertThat(ComponentFailures.rootCause(trace.toString()))
                .isEqualTo("java.lang.IllegalStateException: vocabulary file /x/vocab.json is missing second line");
    }

    @Test
    void anUnwrappedFailureIsItsFirstLine() {
        StringWriter trace = new StringWriter();
        new IllegalArgumentException("bad").printStackTrace(new PrintWriter(trace));
        assertThat(ComponentFailures.rootCause(trace.toString())).isEqualTo("java.lang.IllegalArgumentException: bad");
    }
}
