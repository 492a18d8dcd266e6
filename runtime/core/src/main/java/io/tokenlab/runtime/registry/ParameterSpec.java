package io.tokenlab.runtime.registry;

import java.util.List;

/**
 * One parameter of a technique, read from its OSGi metatype: what pipeline files may set and how it
 * is checked.
 *
 * @param id          the name used in {@code params:} and {@code --set}
 * @param type        {@code String}, {@code Integer}, {@code Long}, {@code Double}, {@code Float}, {@code Boolean}...
 * @param cardinality 0 for a single value, otherwise a list of up to |cardinality| values
 * @param required    true when the metatype gives no default
 * @param defaults    the default values, empty if none
 * @param options     the accepted values when the metatype restricts them, else empty
 * @param min         the smallest accepted value, or null
 * @param max         the largest accepted value, or null
 * @param file        whether the technique declares that the value may name a file
 *                    ({@link io.tokenlab.api.Techniques#FILE_PARAMETERS})
 */
public record ParameterSpec(String id, String name, String description, String type, int cardinality,
                            boolean required, List<String> defaults, List<String> options, String min,
                            String max, boolean file) {
    /** This parameter, declared (or not) as one whose value may name a file. */
    public ParameterSpec asFile(boolean isFile) {
        return isFile == file ? this
                : new ParameterSpec(id, name, description, type, cardinality, required, defaults, options, min, max, isFile);
    }

    /** What is accepted, for error messages and help: type, range, options. */
    public String accepted() {
        StringBuilder sb = new StringBuilder();
        if (!options.isEmpty()) {
            sb.append("one of ").append(String.join(", ", options));
        } else {
            sb.append(article(type)).append(' ').append(type.toLowerCase());
            if (min != null && max != null) {
                sb.append(" in [").append(min).append(", ").append(max).append(']');
            } else if (min != null) {
                sb.append(" >= ").append(min);
            } else if (max != null) {
                sb.append(" <= ").append(max);
            }
        }
        if (cardinality != 0) {
            sb.append(" (a list)");
        }
        return sb.toString();
    }

    private static String article(String type) {
        return "AEIOUaeiou".indexOf(type.charAt(0)) >= 0 ? "an" : "a";
    }
}
