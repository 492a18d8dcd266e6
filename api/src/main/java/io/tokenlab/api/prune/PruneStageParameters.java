package io.tokenlab.api.prune;

import io.tokenlab.api.Parameter;

/**
 * The parameters every prune stage takes, declared once for the kind: how many tokens to keep. The
 * runtime checks and lists them for each {@code prune/*} technique beside its own metatype, turns
 * them into the {@code keep} count {@link PruneTechnique#select} receives (round(N x keep.ratio)
 * unless keep is given), so a technique's {@code Config} holds only its own parameters. A technique
 * may still declare {@code keep.ratio} to give its paper's default and say why; its declaration wins.
 */
public @interface PruneStageParameters {
    @Parameter(description = "Fraction of the tokens to keep, in (0, 1].", min = "0.0001", max = "1")
    double keep_ratio() default 0.5;

    @Parameter(description = "Number of tokens to keep; -1 uses keep.ratio instead.", min = "-1")
    int keep() default -1;
}
