package io.tokenlab.plugin.transplant.zero;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.plugin.transplant.common.TransplantPlan;
import io.tokenlab.plugin.transplant.common.TransplantStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code transplant/zero}: the zero-init baseline (arXiv 2506.06607): new tokens start as zero vectors
 * and only copies of shared tokens carry information.
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/zero",
        Techniques.DESCRIPTION + "=Zero initialisation, the weakest baseline of the transplantation papers "
                + "(arXiv 2506.06607): each new token gets a zero vector. Exact matches are copied."})
@Designate(ocd = ZeroTechnique.Config.class)
public final class ZeroTechnique implements TransplantTechnique, StageTechnique {

    @ObjectClassDefinition(name = "transplant/zero", description = "New tokens get zero vectors.")
    public @interface Config {
        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case.")
        boolean case_insensitive() default false;
    }

    @Override
    public EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context) {
        TransplantPlan plan = TransplantPlan.start(request, parameters.as(Config.class).case_insensitive());
        context.note("zero: " + plan.copied() + " copied, " + plan.remaining().length + " left at zero");
        return plan.finish(); // the plan's rows start at zero
    }

    @Override
    public PortType input() {
        return PortType.EMBEDDINGS;
    }

    @Override
    public PortType output() {
        return PortType.EMBEDDINGS;
    }

    @Override
    public Object apply(Object input, Parameters parameters, RunContext context) {
        return TransplantStage.run(this, input, parameters, context, false);
    }
}
