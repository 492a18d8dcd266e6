package io.tokenlab.runtime;

import io.tokenlab.runtime.cli.Cli;
import io.tokenlab.runtime.cli.ShellCommands;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeService;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Starts the runtime when its bundle starts. Registers the Gogo shell commands, and, when the bnd
 * launcher passed command-line arguments, the command line as the launcher's main-thread service
 * (its return value is the process exit code).
 */
@Component(immediate = true)
public final class RuntimeComponent {
    private final TokenlabRuntime runtime;
    private final ServiceRegistration<?> shell;
    private ServiceRegistration<?> main;

    @Activate
    public RuntimeComponent(BundleContext context,
                            @Reference MetaTypeService metatype,
                            @Reference(target = "(launcher.arguments=*)", cardinality = ReferenceCardinality.OPTIONAL,
                                    policyOption = ReferencePolicyOption.GREEDY, service = Object.class)
                            Map<String, Object> launcher) {
        long started = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        Path home = Path.of(System.getProperty("tokenlab.home", ".")).toAbsolutePath().normalize();
        this.runtime = new TokenlabRuntime(context, metatype, home, started);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "tokenlab");
        props.put("osgi.command.function", new String[] {"plugins", "pipelines", "run", "trace", "check", "compute"});
        this.shell = context.registerService(Object.class, new ShellCommands(runtime), props);
        Object args = launcher == null ? null : launcher.get("launcher.arguments");
        if (args instanceof String[]) {
            Hashtable<String, Object> mainProps = new Hashtable<>();
            mainProps.put("main.thread", Boolean.TRUE);
            Cli cli = new Cli(runtime, (String[]) args);
            this.main = context.registerService(Callable.class, cli, mainProps);
        } else {
            // embedded (tests, other launchers): no command line, start watching right away
            new Thread(() -> runtime.start(true), "tokenlab-start").start();
        }
    }

    @Deactivate
    void deactivate() {
        if (main != null) {
            main.unregister();
        }
        shell.unregister();
        runtime.close();
    }
}
