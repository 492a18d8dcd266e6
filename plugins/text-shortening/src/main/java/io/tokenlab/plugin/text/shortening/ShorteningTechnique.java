package io.tokenlab.plugin.text.shortening;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code text/shortening}: each input line is a document, shortened by the "Simple Hack" rules
 * (see {@link TextShortener}).
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=text/shortening",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=\"Simple Hack\" text shortening (arXiv 2403.12563): removes stopwords (Lucene "
                + "lists, 30+ languages), punctuation, low-frequency or recurring words, keeps the first N tokens"})
@Designate(ocd = ShorteningTechnique.Config.class)
public final class ShorteningTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "text/shortening", description = "Shortens each line (one document per line).")
    public @interface Config {
        @AttributeDefinition(description = "ISO 639-1 code(s) of the stopword lists, comma-separated (e.g. en, id, tr).")
        String language() default "en";

        @AttributeDefinition(description = "Remove stopwords.")
        boolean remove_stopwords() default true;

        @AttributeDefinition(description = "Remove punctuation and symbols.")
        boolean remove_punctuation() default false;

        @AttributeDefinition(description = "Remove words seen fewer times than this over all lines; 0 keeps them.",
                min = "0", max = "1000000000")
        int min_frequency() default 0;

        @AttributeDefinition(description = "Remove every repeat of a word within a line.")
        boolean remove_recurring() default false;

        @AttributeDefinition(description = "Keep at most this many tokens per line; 0 keeps all.",
                min = "0", max = "1000000000")
        int max_tokens() default 0;
    }

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TEXT;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object input, Parameters parameters, RunContext context) {
        return shortener(parameters).shorten((List<String>) input);
    }

    static TextShortener shortener(Parameters parameters) {
        Config c = parameters.as(Config.class);
        Set<String> stopwords = new HashSet<>();
        String first = null;
        for (String code : c.language().split(",")) {
            String language = code.strip().toLowerCase(Locale.ROOT);
            if (!StopwordLists.languages().contains(language)) {
                throw new InvalidParameterException("language", "'" + language + "' has no stopword list; known: "
                        + StopwordLists.languages());
            }
            stopwords.addAll(StopwordLists.of(language));
            first = first == null ? language : first;
        }
        return new TextShortener(stopwords, Locale.forLanguageTag(first), new TextShortener.Rules(
                c.remove_stopwords(), c.remove_punctuation(), c.min_frequency(), c.remove_recurring(), c.max_tokens()));
    }
}
