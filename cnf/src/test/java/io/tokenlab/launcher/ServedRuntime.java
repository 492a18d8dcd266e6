package io.tokenlab.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./tokenlab start --http 127.0.0.1:PORT} started as a user starts it (the script, the exported
 * launcher, its own process), with a home folder of its own, and a real HTTP client to call it.
 */
final class ServedRuntime implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "it-token-0123456789abcdef";

    private final Process process;
    private final Path home;
    private final int port;
    private final StringBuffer log = new StringBuffer();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServedRuntime(Process process, Path home, int port) {
        this.process = process;
        this.home = home;
        this.port = port;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the runtime on a free loopback port and waits until it serves. */
    static ServedRuntime start(Path home, String... javaOptions) throws Exception {
        int port = freePort();
        Process p = launch(home, "127.0.0.1:" + port, javaOptions);
        ServedRuntime rt = new ServedRuntime(p, home, port);
        rt.awaitLine("serving the HTTP API and console at", 90_000);
        return rt;
    }

    /** Starts the script with {@code --http ADDRESS}; stdin stays open so the Gogo shell keeps running. */
    static Process launch(Path home, String address, String... javaOptions) throws IOException {
        Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("pipelines"));
        Path token = home.resolve("token.txt");
        Files.writeString(token, TOKEN + "\n");
        List<String> opts = new ArrayList<>(List.of("-Dtokenlab.http.token.file=" + token));
        opts.addAll(List.of(javaOptions));
        return command(home, opts, "start", "--http", address).start();
    }

    /** {@code ./tokenlab ARGS...} on this home, as a user runs it. */
    static ProcessBuilder command(Path home, List<String> javaOptions, String... args) {
        List<String> opts = new ArrayList<>(List.of("-Dtokenlab.home=" + home, "-Dtokenlab.bundles.poll=100",
                "-Dtokenlab.pipelines.poll=100", "-Dtokenlab.data=" + EmbeddedRuntime.ROOT.resolve("data")));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            opts.add("-Dmaven.repo.local=" + repo); // the data catalog reads vocabularies from it
        }
        opts.addAll(javaOptions);
        List<String> cmd = new ArrayList<>(List.of(EmbeddedRuntime.ROOT.resolve("tokenlab").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TOKENLAB_JAVA_OPTS", String.join(" ", opts));
        return pb;
    }

    private void awaitLine(String text, long millis) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                        log.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "runtime-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.currentTimeMillis() + millis;
        synchronized (log) {
            while (!log.toString().contains(text)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("the runtime did not print '" + text + "' within " + millis
                            + " ms; output:\n" + log);
                }
                log.wait(Math.max(1, Math.min(left, 200)));
            }
        }
    }

    String log() {
        return log.toString();
    }

    Path home() {
        return home;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    /** A response: status, headers, body text and (when JSON) the parsed body. */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    Reply post(String path, Object json) throws Exception {
        String body = json instanceof String ? (String) json : JSON.writeValueAsString(json);
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(r.statusCode(), r.body(), r);
    }

    Reply upload(Path jar, String name, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + "/api/v1/bundles?name=" + name))
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofFile(jar));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    static Map<String, Object> tokenizeBody(String technique, Map<String, Object> params, List<String> texts) {
        return Map.of("technique", technique, "params", params, "texts", texts);
    }

    /** Deploys the way the README says: a temporary name, then a rename into bundles/. */
    Path deploy(Path jar, String name) throws IOException {
        return EmbeddedRuntime.deploy(home, jar, name);
    }

    void writePipeline(String fileName, String yaml) throws IOException {
        EmbeddedRuntime.writePipeline(home, fileName, yaml);
    }

    /** Polls until {@code technique} is active at {@code version} in GET /api/v1/techniques. */
    void awaitTechnique(String technique, String version, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Reply r = get("/api/v1/techniques");
            last = r.body();
            for (JsonNode t : r.json()) {
                if (t.get("technique").asText().equals(technique) && t.get("version").asText().equals(version)
                        && t.get("state").asText().equals("active")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(technique + " " + version + " not active after " + millis + " ms: " + last);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close(); // the shell reads end of input and stops the framework
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
