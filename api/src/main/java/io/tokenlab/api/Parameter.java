package io.tokenlab.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one parameter of a kind-level parameter interface such as
 * {@link io.tokenlab.api.decoder.DecoderStageParameters}. The api imports nothing but the JDK, so it
 * cannot use the OSGi metatype annotations a plugin's {@code Config} uses; the runtime reads this one
 * instead and lists the result beside each technique's own metatype, which wins on a clash.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Parameter {
    String description();

    /** The smallest accepted value; empty for none. */
    String min() default "";

    /** The largest accepted value; empty for none. */
    String max() default "";

    /** Whether the value may name a file ({@link Techniques#FILE_PARAMETERS}). */
    boolean file() default false;
}
