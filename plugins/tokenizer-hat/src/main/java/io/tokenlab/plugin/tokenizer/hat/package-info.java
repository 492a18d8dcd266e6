/** The HAT word splitter and its pipeline stage. Private to the bundle. */
package io.tokenlab.plugin.tokenizer.hat;
