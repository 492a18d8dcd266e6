/** Fast Vocabulary Transfer (Gee et al. 2022): a new token's vector is the mean of the base vectors of its pieces under the old tokenizer. */
package io.tokenlab.plugin.transplant.fvt;
