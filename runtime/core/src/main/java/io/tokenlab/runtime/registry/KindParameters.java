package io.tokenlab.runtime.registry;

import io.tokenlab.api.Kind;
import io.tokenlab.api.Parameter;
import io.tokenlab.api.decoder.DecoderStageParameters;
import io.tokenlab.api.prune.PruneStageParameters;
import io.tokenlab.api.transplant.TransplantStageParameters;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters every technique of a kind takes, declared once in the api (for decoders
 * {@link DecoderStageParameters}, for prune criteria {@link PruneStageParameters}, for transplants
 * {@link TransplantStageParameters}) instead of in each technique's metatype. Read from the interface's
 * methods as the metatype would read them: {@code max_tokens()} is {@code max.tokens}, its return type
 * the type, its default the default, {@link Parameter} the description and range.
 */
final class KindParameters {
    private static final Map<Kind, List<ParameterSpec>> BY_KIND = new EnumMap<>(Kind.class);

    static {
        BY_KIND.put(Kind.DECODER, read(DecoderStageParameters.class));
        BY_KIND.put(Kind.PRUNE, read(PruneStageParameters.class));
        BY_KIND.put(Kind.TRANSPLANT, read(TransplantStageParameters.class));
    }

    private KindParameters() {
    }

    static List<ParameterSpec> of(Kind kind) {
        return BY_KIND.getOrDefault(kind, List.of());
    }

    static List<ParameterSpec> read(Class<?> type) {
        List<Method> methods = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(Parameter.class)) {
                methods.add(m);
            }
        }
        // users see them in the order they are declared, which reflection does not promise; the class file keeps it
        List<String> declared = ClassFileOrder.methodNames(type);
        methods.sort(Comparator.comparingInt((Method m) -> declared.indexOf(m.getName())).thenComparing(Method::getName));
        List<ParameterSpec> out = new ArrayList<>();
        for (Method m : methods) {
            Parameter p = m.getAnnotation(Parameter.class);
            String id = id(m.getName());
            Object dflt = m.getDefaultValue();
            Class<?> t = m.getReturnType();
            List<String> options = t.isEnum()
                    ? Arrays.stream(t.getEnumConstants()).map(String::valueOf).toList() : List.of();
            out.add(new ParameterSpec(id, name(id), p.description(), typeName(t), 0, dflt == null,
                    dflt == null ? List.of() : List.of(String.valueOf(dflt)), options,
                    p.min().isEmpty() ? null : p.min(), p.max().isEmpty() ? null : p.max(), p.file()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The metatype's id of a method name: {@code _} is a dot, {@code __} an underscore. */
    static String id(String method) {
        return method.replace("__", "\u0000").replace('_', '.').replace('\u0000', '_');
    }

    /** The metatype's default name of an id, as bnd writes it: {@code max.tokens} is "Max tokens". */
    static String name(String id) {
        String words = id.replace('.', ' ');
        return words.isEmpty() ? words : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    static String typeName(Class<?> t) {
        if (t == int.class) {
            return "Integer";
        }
        if (t == char.class) {
            return "Character";
        }
        if (t.isPrimitive()) {
            String n = t.getName();
            return n.substring(0, 1).toUpperCase(Locale.ROOT) + n.substring(1);
        }
        return "String";
    }
}
