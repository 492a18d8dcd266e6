package io.tokenlab.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of {@code ./tokenlab start --http} called with a real HTTP client, and every error
 * status it promises. The runtime is the exported launcher in its own process; after all the bad
 * requests it must still answer.
 */
class HttpApiIT {
    private static final String HELLO = "hello world";
    private static ServedRuntime rt;

    @BeforeAll
    static void start() throws Exception {
        Path home = Files.createTempDirectory("tokenlab-http");
        Files.createDirectories(home.resolve("bundles"));
        Files.copy(TestBundles.BPE_PLUGIN, home.resolve("bundles/tokenizer-bpe.jar"));
        Files.copy(TestBundles.BYTES_PLUGIN, home.resolve("bundles/tokenizer-bytes.jar"));
        Files.createDirectories(home.resolve("pipelines"));
        Files.writeString(home.resolve("pipelines/encode.yaml"), "name: encode\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bpe\n    params:\n      vocabulary: cl100k_base\n");
        Files.writeString(home.resolve("pipelines/bytes.yaml"), "name: bytes\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bytes\n");
        Files.writeString(home.resolve("pipelines/broken.yaml"), "name: broken\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bpe\n    params:\n      vocabulary: cl100k_base\n      max.tokens: 3\n");
        rt = ServedRuntime.start(home, "-Dtokenlab.http.max.body.bytes=65536");
    }

    @AfterAll
    static void stop() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void healthReadyAndMetrics() throws Exception {
        assertThat(rt.get("/health").status()).isEqualTo(200);
        ServedRuntime.Reply ready = rt.get("/ready");
        assertThat(ready.status()).as("a pipeline does not pass its checks").isEqualTo(503);
        assertThat(ready.json().get("problems").toString()).contains("broken");
        rt.post("/api/v1/pipelines/encode/run", Map.of("inputs", List.of(HELLO)));
        ServedRuntime.Reply metrics = rt.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("# TYPE tokenlab_runs_total counter")
                .containsPattern("tokenlab_runs_total\\{pipeline=\"encode\",stage=\"tokenize\",technique=\"tokenizer/bpe\","
                        + "version=\"1\\.0\\.[0-9.]+\"} [1-9]")
                .contains("tokenlab_run_duration_seconds_bucket{pipeline=\"encode\",le=\"+Inf\"}")
                .contains("tokenlab_swaps_total");
    }

    @Test
    void techniquesAndPipelinesAsPluginsAndPipelinesShowThem() throws Exception {
        JsonNode techniques = rt.get("/api/v1/techniques").json();
        JsonNode bpe = find(techniques, "technique", "tokenizer/bpe");
        assertThat(bpe.get("state").asText()).isEqualTo("active");
        assertThat(bpe.get("input").asText()).isEqualTo("text");
        assertThat(bpe.get("output").asText()).isEqualTo("token-ids");
        JsonNode vocabulary = find(bpe.get("parameters"), "id", "vocabulary");
        assertThat(vocabulary.get("type").asText()).isEqualTo("String");
        assertThat(vocabulary.get("default").get(0).asText()).isEqualTo("cl100k_base");

        JsonNode pipelines = rt.get("/api/v1/pipelines").json();
        assertThat(find(pipelines, "name", "encode").get("state").asText()).isEqualTo("active");
        JsonNode broken = find(pipelines, "name", "broken.yaml");
        assertThat(broken.get("state").asText()).isEqualTo("invalid");
        assertThat(broken.get("problems").get(0).asText()).contains("broken.yaml:7:19: unknown parameter 'max.tokens'");
    }

    @Test
    void pipelineRunAnswersOutputsAndVersionsAsTiktokenDoes() throws Exception {
        ServedRuntime.Reply r = rt.post("/api/v1/pipelines/encode/run", Map.of("inputs", List.of(HELLO, "")));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // cl100k_base ids of "hello world" as tiktoken gives them
        assertThat(r.json().get("outputs").toString()).isEqualTo("[[15339,1917],[]]");
        assertThat(r.json().get("versions").get("tokenize").asText()).startsWith("tokenizer/bpe@1.0.");
        ServedRuntime.Reply o200k = rt.post("/api/v1/pipelines/encode/run",
                Map.of("inputs", List.of(HELLO), "set", Map.of("tokenize.vocabulary", "o200k_base")));
        assertThat(o200k.json().get("outputs").toString()).isEqualTo("[[24912,2375]]");
    }

    @Test
    void ndjsonStreamsOneOutputPerInputLine() throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 1200; i++) { // more than one batch
            body.append(ServedRuntime.JSON.writeValueAsString(i % 2 == 0 ? HELLO : "line " + i)).append('\n');
        }
        ServedRuntime.Reply r = rt.send(HttpRequest.newBuilder(URI.create(rt.base() + "/api/v1/pipelines/encode/run"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String[] lines = r.body().split("\n");
        assertThat(lines).hasSize(1200);
        assertThat(lines[0]).isEqualTo("[15339,1917]");
        assertThat(r.header("X-Tokenlab-Versions")).startsWith("tokenize=tokenizer/bpe@");
    }

    @Test
    void tokenizeOffsetsCoverTheTextAndDetokenizeAndCountAgree() throws Exception {
        String text = "Héllo wörld — tokens! 🙂";
        JsonNode tok = rt.post("/api/v1/tokenize", ServedRuntime.tokenizeBody("tokenizer/bpe",
                Map.of("vocabulary", "cl100k_base"), List.of(text))).json();
        JsonNode result = tok.get("results").get(0);
        StringBuilder rebuilt = new StringBuilder();
        int lastStop = 0;
        List<Integer> ids = new ArrayList<>();
        for (JsonNode t : result.get("tokens")) {
            ids.add(t.get("id").asInt());
            if (t.get("start").asInt() >= lastStop) { // tokens splitting one character share its span
                rebuilt.append(t.get("text").asText());
                lastStop = t.get("stop").asInt();
            }
        }
        assertThat(rebuilt.toString()).isEqualTo(text);
        assertThat(result.get("count").asInt()).isEqualTo(ids.size());
        JsonNode back = rt.post("/api/v1/detokenize", Map.of("technique", "tokenizer/bpe", "ids", List.of(ids))).json();
        assertThat(back.get("texts").get(0).asText()).isEqualTo(text);
        JsonNode count = rt.post("/api/v1/count", ServedRuntime.tokenizeBody("tokenizer/bpe", Map.of(),
                List.of(text, HELLO))).json();
        assertThat(count.get("counts").toString()).isEqualTo("[" + ids.size() + ",2]");
        assertThat(count.get("total").asInt()).isEqualTo(ids.size() + 2);
    }

    @Test
    void textEmbeddingsInferenceShapes() throws Exception {
        ServedRuntime.Reply r = rt.post("/tokenize", Map.of("inputs", "héllo world", "add_special_tokens", false));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode tokens = r.json().get(0);
        JsonNode last = tokens.get(tokens.size() - 1);
        assertThat(last.get("text").asText()).isEqualTo(" world");
        assertThat(last.get("id").asInt()).isEqualTo(1917);
        // byte offsets, as TEI gives them: "héllo" is 6 bytes
        assertThat(last.get("start").asInt()).isEqualTo(6);
        assertThat(last.get("stop").asInt()).isEqualTo(12);
        assertThat(last.get("special").asBoolean()).isFalse();
        JsonNode decoded = rt.post("/decode", Map.of("ids", List.of(15339, 1917))).json();
        assertThat(decoded.get(0).asText()).isEqualTo(HELLO);
    }

    @Test
    void badRequestsAreJsonErrorsThatSayWhatIsAccepted() throws Exception {
        ServedRuntime.Reply malformed = rt.post("/api/v1/count", "{\"technique\": \"tokenizer/bpe\", \"texts\": [\"a\",");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("malformed JSON at line 1, column");

        ServedRuntime.Reply badParam = rt.post("/api/v1/tokenize", ServedRuntime.tokenizeBody("tokenizer/bpe",
                Map.of("vocab", "cl100k_base"), List.of(HELLO)));
        assertThat(badParam.status()).isEqualTo(400);
        assertThat(badParam.json().get("error").asText()).contains("unknown parameter 'vocab'")
                .contains("did you mean 'vocabulary'?").contains("accepted: vocabulary, allowed.special");

        ServedRuntime.Reply badSet = rt.post("/api/v1/pipelines/encode/run",
                Map.of("inputs", List.of(HELLO), "set", Map.of("tokenize.vocabulary", 42, "nostage.x", 1)));
        assertThat(badSet.status()).isEqualTo(400);
        assertThat(badSet.json().get("problems").toString()).contains("no stage 'nostage'");

        ServedRuntime.Reply located = rt.post("/api/v1/pipelines/broken/run", Map.of("inputs", List.of(HELLO)));
        assertThat(located.status()).isEqualTo(400);
        JsonNode problem = located.json().get("problems").get(0);
        assertThat(problem.get("line").asInt()).isEqualTo(7);
        assertThat(problem.get("column").asInt()).isEqualTo(19);
        assertThat(problem.get("text").asText()).contains("broken.yaml:7:19: unknown parameter 'max.tokens'");

        ServedRuntime.Reply wrongInput = rt.post("/api/v1/pipelines/encode/run", Map.of("inputs", List.of(1, 2)));
        assertThat(wrongInput.status()).isEqualTo(400);
        assertThat(wrongInput.json().get("error").asText()).contains("inputs[0] must be a string");

        ServedRuntime.Reply special = rt.post("/api/v1/tokenize", ServedRuntime.tokenizeBody("tokenizer/bpe", Map.of(),
                List.of("a <|endoftext|>")));
        assertThat(special.status()).isEqualTo(400);
        assertThat(special.json().get("error").asText()).contains("<|endoftext|>").contains("allowed.special");

        ServedRuntime.Reply notTokenizer = rt.post("/api/v1/count", ServedRuntime.tokenizeBody("prune/divprune", Map.of(),
                List.of(HELLO)));
        assertThat(notTokenizer.status()).isEqualTo(400);
        assertThat(notTokenizer.json().get("error").asText()).contains("takes tokenizer techniques");

        ServedRuntime.Reply method = rt.get("/api/v1/tokenize");
        assertThat(method.status()).isEqualTo(405);
        assertRuntimeStillServes();
    }

    @Test
    void unknownNamesAre404WithTheClosestNames() throws Exception {
        ServedRuntime.Reply pipeline = rt.post("/api/v1/pipelines/encod/run", Map.of("inputs", List.of(HELLO)));
        assertThat(pipeline.status()).isEqualTo(404);
        assertThat(pipeline.json().get("closest").get(0).asText()).isEqualTo("encode");
        ServedRuntime.Reply technique = rt.post("/api/v1/tokenize", ServedRuntime.tokenizeBody("tokenizer/bpx", Map.of(),
                List.of(HELLO)));
        assertThat(technique.status()).isEqualTo(404);
        assertThat(technique.json().get("closest").toString()).contains("tokenizer/bpe");
        assertThat(rt.get("/api/v1/nothing").status()).isEqualTo(404);
        assertThat(rt.get("/no-such-page").status()).isEqualTo(404);
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        String big = "x".repeat(70_000);
        ServedRuntime.Reply r = rt.post("/api/v1/count", Map.of("technique", "tokenizer/bpe", "texts", List.of(big)));
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("limit").asLong()).isEqualTo(65536);
        assertRuntimeStillServes();
    }

    @Test
    void bundleUploadNeedsTheTokenAndARemovedTechniqueMakesItsPipeline503() throws Exception {
        Path jars = Files.createTempDirectory("tokenlab-http-jars");
        Path v2 = TestBundles.withVersion(jars, "1.0.77");
        ServedRuntime.Reply none = rt.upload(v2, "tokenizer-bytes.jar", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(rt.upload(v2, "tokenizer-bytes.jar", "wrong-token-0123456789").status()).isEqualTo(401);
        ServedRuntime.Reply bad = rt.upload(v2, "../escape.jar", ServedRuntime.TOKEN);
        assertThat(bad.status()).isEqualTo(400);

        ServedRuntime.Reply ok = rt.upload(v2, "tokenizer-bytes.jar", ServedRuntime.TOKEN);
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().get("replaced").asBoolean()).isTrue();
        rt.awaitTechnique("tokenizer/bytes", "1.0.77", 30_000);
        ServedRuntime.Reply run = rt.post("/api/v1/pipelines/bytes/run", Map.of("inputs", List.of("ok")));
        assertThat(run.json().get("versions").get("tokenize").asText()).isEqualTo("tokenizer/bytes@1.0.77");

        HttpRequest.Builder delete = HttpRequest.newBuilder(URI.create(rt.base() + "/api/v1/bundles/tokenizer-bytes.jar"))
                .DELETE();
        assertThat(rt.send(delete).status()).isEqualTo(401);
        ServedRuntime.Reply deleted = rt.send(HttpRequest.newBuilder(URI.create(rt.base() + "/api/v1/bundles/tokenizer-bytes.jar"))
                .header("Authorization", "Bearer " + ServedRuntime.TOKEN).DELETE());
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        long deadline = System.currentTimeMillis() + 30_000;
        ServedRuntime.Reply unavailable;
        do {
            Thread.sleep(100);
            unavailable = rt.post("/api/v1/pipelines/bytes/run", Map.of("inputs", List.of("ok")));
        } while (unavailable.status() == 200 && System.currentTimeMillis() < deadline);
        assertThat(unavailable.status()).as(unavailable.body()).isEqualTo(503);
        assertThat(unavailable.header("Retry-After")).isEqualTo("1");
        assertThat(unavailable.json().get("error").asText()).contains("needs tokenizer/bytes");
        ServedRuntime.Reply again = rt.send(HttpRequest.newBuilder(URI.create(rt.base() + "/api/v1/bundles/tokenizer-bytes.jar"))
                .header("Authorization", "Bearer " + ServedRuntime.TOKEN).DELETE());
        assertThat(again.status()).isEqualTo(404);
        assertThat(rt.get("/metrics").body()).containsPattern("tokenlab_swaps_total [1-9]");
    }

    @Test
    void consoleIsServedByTheRuntimeItself() throws Exception {
        ServedRuntime.Reply page = rt.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.body()).contains("<script src=\"console.js\"></script>").doesNotContain("https://");
        assertThat(rt.get("/console.js").status()).isEqualTo(200);
        assertThat(rt.get("/console.css").status()).isEqualTo(200);
    }

    @Test
    void nonLoopbackWithoutTokenRefusesToStartAndSaysWhy() throws Exception {
        Path home = Files.createTempDirectory("tokenlab-http-refuse");
        Process p = ServedRuntime.launch(home, "0.0.0.0:" + ServedRuntime.freePort(), "-Dtokenlab.http.token.file=");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("refusing to serve 0.0.0.0:").contains("needs a bearer token")
                .contains("tokenlab.http.token.file");
    }

    private static void assertRuntimeStillServes() throws Exception {
        assertThat(rt.get("/health").status()).isEqualTo(200);
        assertThat(rt.post("/api/v1/count", ServedRuntime.tokenizeBody("tokenizer/bpe", Map.of(), List.of(HELLO)))
                .json().get("total").asInt()).isEqualTo(2);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.get(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }
}
