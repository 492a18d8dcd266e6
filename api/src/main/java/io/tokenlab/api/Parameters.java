package io.tokenlab.api;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of one pipeline stage, already validated by the runtime against the technique's
 * metatype (types, ranges, required values) and completed with defaults.
 *
 * <p>Plugins usually read them through their own {@code @ObjectClassDefinition} interface:
 * {@code Config c = params.as(Config.class)}; method names map to parameter names by the OSGi
 * metatype rules ({@code max_chars()} reads {@code max.chars}, {@code max$_$chars()} reads
 * {@code max-chars}, {@code maxChars()} reads {@code maxChars}).
 */
public final class Parameters {
    private static final Parameters EMPTY = new Parameters(Map.of());
    private final Map<String, Object> values;

    private Parameters(Map<String, Object> values) {
        this.values = values;
    }

    public static Parameters of(Map<String, ?> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(Objects.requireNonNull(k), v));
        return new Parameters(Collections.unmodifiableMap(copy));
    }

    public static Parameters empty() {
        return EMPTY;
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A copy with one value replaced or added. */
    public Parameters with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new Parameters(Collections.unmodifiableMap(copy));
    }

    public String string(String name, String fallback) {
        Object v = values.get(name);
        return v == null ? fallback : v.toString();
    }

    public long integer(String name, long fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Long) convert(name, v, long.class);
    }

    public double real(String name, double fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Double) convert(name, v, double.class);
    }

    public boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        return v == null ? fallback : (Boolean) convert(name, v, boolean.class);
    }

    /**
     * A typed view through an annotation or interface whose methods are parameter names. Methods
     * with no value in these parameters return their annotation default, or fail naming the
     * missing parameter.
     */
    public <A> A as(Class<A> type) {
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            switch (m.getName()) {
                case "toString":
                    if (m.getParameterCount() == 0) {
                        return type.getSimpleName() + values;
                    }
                    break;
                case "hashCode":
                    if (m.getParameterCount() == 0) {
                        return values.hashCode();
                    }
                    break;
                case "equals":
                    if (m.getParameterCount() == 1) {
                        return p == args[0];
                    }
                    break;
                case "annotationType":
                    if (m.getParameterCount() == 0) {
                        return type;
                    }
                    break;
                default:
                    break;
            }
            String key = propertyName(m);
            Object raw = values.get(key);
            if (raw == null) {
                Object dflt = m.getDefaultValue();
                if (dflt != null) {
                    return dflt;
                }
                if (m.isDefault()) {
                    return java.lang.invoke.MethodHandles.privateLookupIn(type, java.lang.invoke.MethodHandles.lookup())
                            .unreflectSpecial(m, type).bindTo(p).invokeWithArguments(args == null ? new Object[0] : args);
                }
                throw new InvalidParameterException(key, "no value given and no default");
            }
            return convert(key, raw, m.getReturnType());
        });
        return type.cast(proxy);
    }

    /** OSGi metatype name mapping of a method name to a property name. */
    static String propertyName(Method m) {
        String n = m.getName();
        StringBuilder sb = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == '$') {
                if (n.startsWith("$_$", i)) {
                    sb.append('-');
                    i += 2;
                } else if (n.startsWith("$$", i)) {
                    sb.append('$');
                    i += 1;
                }
            } else if (c == '_') {
                if (n.startsWith("__", i)) {
                    sb.append('_');
                    i += 1;
                } else {
                    sb.append('.');
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object convert(String name, Object v, Class<?> to) {
        try {
            if (to.isInstance(v)) {
                return v;
            }
            if (to == String.class) {
                return v.toString();
            }
            if (to == int.class || to == Integer.class) {
                return v instanceof Number ? Math.toIntExact(((Number) v).longValue()) : Integer.parseInt(v.toString().trim());
            }
            if (to == long.class || to == Long.class) {
                return v instanceof Number ? ((Number) v).longValue() : Long.parseLong(v.toString().trim());
            }
            if (to == double.class || to == Double.class) {
                return v instanceof Number ? ((Number) v).doubleValue() : Double.parseDouble(v.toString().trim());
            }
            if (to == float.class || to == Float.class) {
                return v instanceof Number ? ((Number) v).floatValue() : Float.parseFloat(v.toString().trim());
            }
            if (to == boolean.class || to == Boolean.class) {
                String s = v.toString().trim();
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw new InvalidParameterException(name, "'" + v + "' is not a boolean; accepted: true, false");
            }
            if (to.isEnum()) {
                return Enum.valueOf((Class<Enum>) to, v.toString().trim());
            }
            if (to.isArray()) {
                List<?> list = v instanceof List ? (List<?>) v
                        : v.getClass().isArray() ? arrayToList(v) : List.of(v.toString().split("\\s*,\\s*"));
                Object out = Array.newInstance(to.getComponentType(), list.size());
                for (int i = 0; i < list.size(); i++) {
                    Array.set(out, i, convert(name, list.get(i), to.getComponentType()));
                }
                return out;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidParameterException(name, "'" + v + "' is not a valid " + to.getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(name, "'" + v + "' is not one of "
                    + java.util.Arrays.toString(to.getEnumConstants()));
        }
        throw new InvalidParameterException(name, "cannot convert '" + v + "' to " + to.getSimpleName());
    }

    private static List<Object> arrayToList(Object array) {
        int n = Array.getLength(array);
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = Array.get(array, i);
        }
        return List.of(out);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
