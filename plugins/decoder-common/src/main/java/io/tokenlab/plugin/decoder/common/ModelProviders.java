package io.tokenlab.plugin.decoder.common;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The language-model providers a decoder component was bound to by Declarative Services, by their
 * {@code tokenlab.model} name. Bound dynamically: a provider bundle can come and go while the decoder
 * stays registered, and a run without one fails naming what is missing.
 */
public final class ModelProviders {
    private final Map<String, LanguageModelProvider> byName = new ConcurrentHashMap<>();

    public void add(LanguageModelProvider provider, Map<String, ?> properties) {
        byName.put(String.valueOf(properties.get(LanguageModelProvider.MODEL)), provider);
    }

    public void remove(LanguageModelProvider provider, Map<String, ?> properties) {
        byName.remove(String.valueOf(properties.get(LanguageModelProvider.MODEL)), provider);
    }

    public LanguageModel open(String name, Parameters parameters, RunContext context) {
        LanguageModelProvider provider = byName.get(name);
        if (provider == null) {
            throw new TechniqueException("no language model provider '" + name + "' is installed (needs a bundle "
                    + "registering LanguageModelProvider with tokenlab.model=" + name + ", e.g. lm-ngram); installed: "
                    + new TreeSet<>(byName.keySet()));
        }
        return provider.open(parameters, context);
    }
}
