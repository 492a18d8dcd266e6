package io.tokenlab.runtime;

import io.tokenlab.runtime.cli.Cli;
import io.tokenlab.runtime.cli.OneShotRun;
import io.tokenlab.runtime.cli.ProcessGuard;
import io.tokenlab.runtime.cli.ShellCommands;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.MetaTypeService;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Starts the runtime when its bundle starts and registers the Gogo shell commands. When the bnd
 * launcher is there (the exported jar), it registers the command line as the launcher's main-thread
 * service, whose return value is the process exit code. The launcher's service may appear after this
 * component is active, hence the dynamic reference: the runtime is never restarted for it.
 */
@Component(immediate = true)
public final class RuntimeComponent {
    private final BundleContext context;
    private final TokenlabRuntime runtime;
    private final ServiceRegistration<?> shell;
    private final ServiceRegistration<?> service;
    private ServiceRegistration<?> main;
    /** The command line, once the launcher's service brings it. */
    private final java.util.concurrent.CompletableFuture<String[]> arguments = new java.util.concurrent.CompletableFuture<>();

    @Activate
    public RuntimeComponent(BundleContext context, @Reference MetaTypeService metatype) {
        this.context = context;
        long started = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        Path home = Path.of(System.getProperty("tokenlab.home", ".")).toAbsolutePath().normalize();
        this.runtime = new TokenlabRuntime(context, metatype, home, started);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "tokenlab");
        props.put("osgi.command.function", new String[] {"plugins", "pipelines", "run", "trace", "check", "compute"});
        this.shell = context.registerService(Object.class, new ShellCommands(runtime), props);
        // the runtime's own service modules (runtime/http) reach it as a service
        this.service = context.registerService(TokenlabRuntime.class, runtime, null);
        // Bundles are installed off the SCR thread: installing and starting other bundles from inside a
        // component's activation can deadlock with SCR's own locks.
        boolean launchedByCommandLine = context.getProperty("launch.name") != null;
        if (launchedByCommandLine) {
            ProcessGuard.install(context); // this process is ours: make every exit prompt and clean
        }
        Thread starter = new Thread(() -> {
            runtime.startBundles(launchedByCommandLine ? OneShotRun.jarsFor(arguments, home.resolve("bundles")) : null);
            if (!launchedByCommandLine) {
                runtime.watchPipelines(); // embedded in another launcher: behave like `tokenlab start`
            }
        }, "tokenlab-start");
        starter.setDaemon(true);
        starter.start();
    }

    @Reference(target = "(launcher.arguments=*)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, service = Object.class)
    synchronized void bindLauncher(Map<String, Object> properties) {
        Object args = properties.get("launcher.arguments");
        if (args instanceof String[]) {
            arguments.complete((String[]) args);
        }
        if (main == null && args instanceof String[]) {
            Hashtable<String, Object> mainProps = new Hashtable<>();
            mainProps.put("main.thread", Boolean.TRUE);
            main = context.registerService(Callable.class, new Cli(runtime, (String[]) args), mainProps);
        }
    }

    synchronized void unbindLauncher(Map<String, Object> properties) {
        if (main != null) {
            main.unregister();
            main = null;
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (main != null) {
            main.unregister();
            main = null;
        }
        shell.unregister();
        service.unregister();
        runtime.close();
    }
}
