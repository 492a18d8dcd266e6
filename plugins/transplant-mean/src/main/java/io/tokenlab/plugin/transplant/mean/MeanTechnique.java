package io.tokenlab.plugin.transplant.mean;

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
 * {@code transplant/mean}: the mean-init baseline the transplantation papers compare against (e.g.
 * arXiv 2506.06607, table 2): every new token gets the mean of the base table, so that it starts at the
 * centre of the embedding distribution rather than at an arbitrary point.
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/mean",
        Techniques.DESCRIPTION + "=Mean initialisation, the baseline of the transplantation papers (arXiv 2506.06607): "
                + "each new token gets the mean of the base table. Exact matches are copied."})
@Designate(ocd = MeanTechnique.Config.class)
public final class MeanTechnique implements TransplantTechnique, StageTechnique {

    @ObjectClassDefinition(name = "transplant/mean", description = "New tokens get the mean base vector.")
    public @interface Config {
        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case.")
        boolean case_insensitive() default false;
    }

    @Override
    public EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context) {
        TransplantPlan plan = TransplantPlan.start(request, parameters.as(Config.class).case_insensitive());
        float[] mean = context.compute().columnMeans(request.base().vectors());
        for (int row : plan.remaining()) {
            plan.set(row, mean);
        }
        context.note("mean: " + plan.copied() + " copied, " + plan.remaining().length + " set to the mean");
        return plan.finish();
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
