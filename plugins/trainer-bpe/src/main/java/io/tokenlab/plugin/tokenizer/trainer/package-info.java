/**
 * Tokenizer trainers: byte-level BPE, SuperBPE, character-level BPE and compression-aware BPE.
 * Private to the bundle; the services are the api's {@code TokenizerTrainer} and {@code StageTechnique}.
 */
package io.tokenlab.plugin.tokenizer.trainer;
