/** TokenAdapt hybrid (arXiv 2505.09738): a local estimate from the new token's old-tokenizer pieces and a global estimate from its nearest old tokens in an auxiliary space, mixed 0.7 / 0.3. */
package io.tokenlab.plugin.transplant.tokenadapt;
