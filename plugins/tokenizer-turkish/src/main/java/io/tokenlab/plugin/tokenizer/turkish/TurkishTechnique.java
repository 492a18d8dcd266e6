package io.tokenlab.plugin.tokenizer.turkish;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import org.osgi.service.component.annotations.Component;

import java.util.ArrayList;
import java.util.List;

/** {@code tokenizer/turkish}: each input line as ids of the hybrid Turkish tokenizer. */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/turkish",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=token-ids",
        Techniques.DESCRIPTION + "=Hybrid Turkish tokenizer (\"Tokens with Meaning\", arXiv 2508.14292): Starlang "
                + "roots and suffixes, allomorphs sharing ids, case and space tokens, byte fallback; lossless"})
public final class TurkishTechnique implements StageTechnique {
    /** Loaded on first use: reading the dictionary takes a moment. */
    private volatile TurkishHybridTokenizer tokenizer;

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TOKEN_IDS;
    }

    TurkishHybridTokenizer tokenizer() {
        TurkishHybridTokenizer t = tokenizer;
        if (t == null) {
            synchronized (this) {
                if (tokenizer == null) {
                    tokenizer = new TurkishHybridTokenizer(TurkishLexicon.load());
                }
                t = tokenizer;
            }
        }
        return t;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object input, Parameters parameters, RunContext context) {
        TurkishHybridTokenizer t = tokenizer();
        List<int[]> out = new ArrayList<>();
        for (String line : (List<String>) input) {
            out.add(t.encode(line));
        }
        return out;
    }
}
