package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.BpeSegmentationConformance;
import io.tokenlab.api.testkit.TokenizerConformance;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.junit.jupiter.api.Nested;

import java.util.Map;

/** The tokenizer kit's checks, for each kind of vocabulary file this plugin reads. */
class BpeConformanceTest {
    abstract static class OnVocabulary extends TokenizerConformance {
        abstract String vocabulary();

        @Override
        protected TokenizerTechnique technique() {
            return new BpeTechnique();
        }

        @Override
        protected Parameters validParameters() {
            return Parameters.of(Map.of("vocabulary", vocabulary()));
        }

        @Override
        protected Parameters invalidParameters() {
            return Parameters.of(Map.of("vocabulary", "cl99k_base"));
        }

        @Override
        protected String invalidValue() {
            return "cl99k_base";
        }

        @Override
        protected RunContext context() {
            return TestData.CONTEXT;
        }
    }

    @Nested
    class Cl100k extends OnVocabulary {
        @Override
        String vocabulary() {
            return "cl100k_base";
        }
    }

    @Nested
    class O200k extends OnVocabulary {
        @Override
        String vocabulary() {
            return "o200k_base";
        }
    }

    @Nested
    class Gpt2 extends OnVocabulary {
        @Override
        String vocabulary() {
            return "gpt2";
        }
    }

    @Nested
    class Qwen3 extends OnVocabulary {
        @Override
        String vocabulary() {
            return "qwen3";
        }
    }

    @Nested
    class Gemma3 extends OnVocabulary {
        @Override
        String vocabulary() {
            return "gemma3";
        }
    }

    /** Segmentations against the kit's rank-ordered merges, on the vocabularies whose ranks are their ids. */
    abstract static class SegmentsLikeRankedMerges extends BpeSegmentationConformance {
        abstract String vocabulary();

        @Override
        protected Tokenizer open() {
            return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", vocabulary())), TestData.CONTEXT);
        }
    }

    @Nested
    class Cl100kSegments extends SegmentsLikeRankedMerges {
        @Override
        String vocabulary() {
            return "cl100k_base";
        }
    }

    @Nested
    class O200kSegments extends SegmentsLikeRankedMerges {
        @Override
        String vocabulary() {
            return "o200k_base";
        }
    }

    @Nested
    class Gpt2Segments extends SegmentsLikeRankedMerges {
        @Override
        String vocabulary() {
            return "gpt2";
        }
    }
}
