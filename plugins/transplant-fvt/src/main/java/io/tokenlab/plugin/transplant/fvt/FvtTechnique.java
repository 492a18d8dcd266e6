package io.tokenlab.plugin.transplant.fvt;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.plugin.transplant.common.PieceDecomposer;
import io.tokenlab.plugin.transplant.common.TransplantPlan;
import io.tokenlab.plugin.transplant.common.TransplantStage;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * {@code transplant/fvt}: Fast Vocabulary Transfer (Gee, Zugarini, Rigutini and Torroni, EMNLP 2022
 * industry track). A new token is split by the old tokenizer; its vector is the plain mean of the
 * pieces' base vectors. A token with no piece in the base table gets the table's mean.
 */
@Component(service = {TransplantTechnique.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=transplant/fvt",
        Techniques.DESCRIPTION + "=Fast Vocabulary Transfer (Gee et al. 2022): each new token is the mean of the base "
                + "vectors of its pieces under the old tokenizer. Exact matches are copied."})
@Designate(ocd = FvtTechnique.Config.class)
public final class FvtTechnique implements TransplantTechnique, StageTechnique {

    @ObjectClassDefinition(name = "transplant/fvt", description = "Mean of the old-tokenizer pieces.")
    public @interface Config {
        @AttributeDefinition(description = "Also copy tokens that match a base token up to letter case.")
        boolean case_insensitive() default false;
    }

    @Override
    public EmbeddingTable transplant(TransplantRequest request, Parameters parameters, RunContext context) {
        Config config = parameters.as(Config.class);
        TransplantPlan plan = TransplantPlan.start(request, config.case_insensitive());
        PieceDecomposer pieces = new PieceDecomposer(request.base(), request.baseTokenizer());
        float[] mean = context.compute().columnMeans(request.base().vectors());
        float[] b = request.base().vectors().data();
        int d = plan.dimension();
        int withoutPieces = 0;
        for (int row : plan.remaining()) {
            PieceDecomposer.Pieces p = pieces.decompose(plan.target().get(row));
            if (p.size() == 0) {
                plan.set(row, mean);
                withoutPieces++;
                continue;
            }
            double[] v = new double[d];
            for (int piece : p.rows()) {
                for (int j = 0; j < d; j++) {
                    v[j] += b[piece * d + j];
                }
            }
            for (int j = 0; j < d; j++) {
                v[j] /= p.size();
            }
            plan.set(row, v);
        }
        context.note("fvt: " + plan.copied() + " copied, " + (plan.remaining().length - withoutPieces)
                + " averaged from pieces, " + withoutPieces + " without pieces set to the mean");
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
