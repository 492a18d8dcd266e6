package io.tokenlab.plugin.tokenizer.equalinfo;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code tokenizer/equal-info-decode}: Equal-Info Window tokens back to text, with the encoder's parameters. */
@Component(service = StageTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/equal-info-decode",
        PortOverrides.INPUT + "=token-ids",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Decodes Equal-Info Window tokens (arXiv 2404.03626); takes the parameters the "
                + "encoding used"})
@Designate(ocd = EqualInfoTechnique.Config.class)
public final class EqualInfoDecodeTechnique implements StageTechnique {
    @Override
    public PortType input() {
        return PortType.TOKEN_IDS;
    }

    @Override
    public PortType output() {
        return PortType.TEXT;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object apply(Object input, Parameters parameters, RunContext context) {
        EqualInfoCoder coder = EqualInfoModels.coder(parameters.as(EqualInfoTechnique.Config.class), context);
        List<String> out = new ArrayList<>();
        for (int[] tokens : (List<int[]>) input) {
            out.add(new String(coder.decode(tokens), StandardCharsets.UTF_8));
        }
        return out;
    }
}
