/** Dynamic (batch-level) BPE and its pipeline stage. Private to the bundle. */
package io.tokenlab.plugin.tokenizer.dynamicbpe;
