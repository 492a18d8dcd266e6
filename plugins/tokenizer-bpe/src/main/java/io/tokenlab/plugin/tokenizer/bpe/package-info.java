/** The {@code tokenizer/bpe} technique: byte-level BPE over tiktoken, GPT-2 and Hugging Face vocabularies. */
package io.tokenlab.plugin.tokenizer.bpe;
