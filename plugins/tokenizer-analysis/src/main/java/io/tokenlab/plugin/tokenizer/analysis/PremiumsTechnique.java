package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenizer/premiums}: token premiums of each language of the UDHR relative to a reference
 * language, for each tokenizer named on the input lines; a table out, and one bar chart PNG per
 * tokenizer in {@code chart.dir}.
 */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/premiums",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Crosslingual token premiums (Arnett et al. 2025, arXiv 2510.21909): tokens of each "
                + "UDHR language (500+) relative to English, per tokenizer; table and bar-chart PNG"})
@Designate(ocd = PremiumsTechnique.Config.class)
public final class PremiumsTechnique implements StageTechnique {

    @ObjectClassDefinition(name = "tokenizer/premiums", description = "Input lines name vocabularies (cl100k_base, "
            + "o200k_base, gpt2, a tokenizer.json path...); output is a tab-separated table of premiums.")
    public @interface Config {
        @AttributeDefinition(description = "The tokenizer technique that opens each vocabulary.")
        String tokenizer() default "tokenizer/bpe";

        @AttributeDefinition(description = "Reference language (UDHR file code).")
        String reference() default "eng";

        @AttributeDefinition(description = "Comma-separated language codes to report, or 'all'.")
        String languages() default "all";

        @AttributeDefinition(description = "Directory for the bar charts, one premiums-<vocabulary>.png each.")
        String chart_dir() default "premiums";
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
        Config c = parameters.as(Config.class);
        List<String> vocabularies = new ArrayList<>();
        for (String line : (List<String>) input) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                vocabularies.add(line.strip());
            }
        }
        if (vocabularies.isEmpty()) {
            throw new TechniqueException("no tokenizers to compare: give one vocabulary per input line");
        }
        Map<String, String> texts = texts(context, c);
        List<Map<String, TokenPremiums.Premium>> results = new ArrayList<>();
        for (String vocabulary : vocabularies) {
            Tokenizer t = Tokenizers.open(context, c.tokenizer(), vocabulary);
            Map<String, TokenPremiums.Premium> p = TokenPremiums.of(t, texts, c.reference());
            results.add(p);
            Path png = Path.of(c.chart_dir(), "premiums-" + Path.of(vocabulary).getFileName().toString()
                    .replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            try {
                PremiumChart.write("Token premium relative to " + c.reference() + ": " + vocabulary,
                        new ArrayList<>(p.values()), png);
            } catch (IOException e) {
                throw new TechniqueException("cannot write " + png + ": " + e.getMessage(), e);
            }
            context.note("chart " + png);
        }
        return table(vocabularies, results);
    }

    static List<String> table(List<String> vocabularies, List<Map<String, TokenPremiums.Premium>> results) {
        List<String> out = new ArrayList<>();
        StringBuilder header = new StringBuilder("language");
        for (String v : vocabularies) {
            header.append('\t').append(v).append(" tokens\t").append(v).append(" premium");
        }
        out.add(header.toString());
        for (String language : results.get(0).keySet()) {
            StringBuilder row = new StringBuilder(language);
            for (Map<String, TokenPremiums.Premium> r : results) {
                TokenPremiums.Premium p = r.get(language);
                row.append('\t').append(p.tokens()).append('\t').append(String.format("%.3f", p.premium()));
            }
            out.add(row.toString());
        }
        return out;
    }

    private static Map<String, String> texts(RunContext context, Config c) {
        Map<String, String> all;
        try {
            all = UdhrTexts.read(context.data().fetch("udhr"));
        } catch (IOException e) {
            throw new TechniqueException("cannot fetch the UDHR texts: " + e.getMessage(), e);
        }
        if (c.languages().strip().equals("all")) {
            return all;
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        chosen.put(c.reference(), all.get(c.reference()));
        for (String code : c.languages().split(",")) {
            String text = all.get(code.strip());
            if (text == null) {
                throw new InvalidParameterException("languages", "'" + code.strip() + "' is not a UDHR language code "
                        + "(file names of the udhr package, e.g. eng, fra, cmn_hans)");
            }
            chosen.put(code.strip(), text);
        }
        return chosen;
    }
}
