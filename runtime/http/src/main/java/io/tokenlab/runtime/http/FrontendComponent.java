package io.tokenlab.runtime.http;

import io.tokenlab.api.Techniques;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.serve.HttpFrontend;
import jakarta.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The HTTP frontend: when asked to serve, it checks the address and the token, registers its servlets
 * with the OSGi Servlet Whiteboard and points Felix HTTP Jetty (configuration PID
 * {@code org.apache.felix.http}) at the address. Jetty stays off until then, so {@code tokenlab run}
 * never opens a port.
 */
@Component(service = HttpFrontend.class, configurationPid = "io.tokenlab.http",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HttpConfig.class)
public final class FrontendComponent implements HttpFrontend {
    private static final Logger LOG = Logger.getLogger(FrontendComponent.class.getName());
    static final String JETTY_PID = "org.apache.felix.http";
    private static final long LISTEN_WAIT_MILLIS = 20_000;

    private final BundleContext context;
    private final TokenlabRuntime runtime;
    private final ConfigurationAdmin configAdmin;
    private final Metrics metrics = new Metrics();
    private final BundleListener swaps;
    private final ServiceListener techniqueChanges;
    private final AtomicLong techniqueGeneration = new AtomicLong();
    private volatile HttpConfig config;
    private final List<ServiceRegistration<?>> servlets = new ArrayList<>();
    private ExecutorService workers;
    private Address serving;

    @Activate
    public FrontendComponent(BundleContext context, @Reference TokenlabRuntime runtime,
                             @Reference ConfigurationAdmin configAdmin, HttpConfig config) {
        this.context = context;
        this.runtime = runtime;
        this.configAdmin = configAdmin;
        this.config = config;
        this.swaps = event -> {
            if (event.getType() == BundleEvent.UPDATED) {
                metrics.recordSwap();
            }
        };
        context.addBundleListener(swaps);
        this.techniqueChanges = event -> techniqueGeneration.incrementAndGet();
        try {
            context.addServiceListener(techniqueChanges, "(" + Techniques.TECHNIQUE + "=*)");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Modified
    void modified(HttpConfig config) {
        this.config = config; // takes effect at the next serve; a served port is not moved under clients
    }

    @Override
    public synchronized String serve(String address) {
        Settings settings = Settings.of(config, context::getProperty);
        String wanted = address != null ? address : settings.address();
        if (address == null && (wanted == null || wanted.isBlank())) {
            return null;
        }
        Address a = Address.parse(wanted);
        if (serving != null) {
            if (serving.equals(a)) {
                return a.url();
            }
            throw new IllegalStateException("already serving " + serving + "; one address per runtime");
        }
        BearerToken token = BearerToken.load(settings.tokenFile(), settings.token());
        if (!a.loopback() && token == null) {
            throw new IllegalArgumentException("refusing to serve " + a + ": it is not a loopback address, and serving "
                    + "other machines needs a bearer token. Put one in a file and pass -Dtokenlab.http.token.file=FILE "
                    + "(e.g. TOKENLAB_JAVA_OPTS=-Dtokenlab.http.token.file=token.txt), or set token.file in ConfigAdmin "
                    + "PID io.tokenlab.http; or serve 127.0.0.1");
        }
        checkFree(a);
        workers = Executors.newCachedThreadPool(daemons());
        Frontend f = new Frontend(runtime, settings, new Guard(token, a.loopback()), metrics, workers,
                new Leasing(runtime, techniqueGeneration::get), new PipelineRuns(runtime, metrics));
        register(new ApiServlet(f), "api", false, "/api/v1/*");
        register(new EventsServlet(f), "events", true, "/api/v1/events");
        register(new TeiServlet(f), "tei", false, "/tokenize", "/decode");
        register(new StatusServlet(f), "status", false, "/health", "/ready", "/metrics");
        register(new ConsoleServlet(), "console", false, "/");
        configureJetty(a);
        awaitListening(a);
        serving = a;
        return a.url();
    }

    private static ThreadFactory daemons() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tokenlab-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private void register(Servlet servlet, String name, boolean async, String... patterns) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", patterns);
        props.put("osgi.http.whiteboard.servlet.name", "tokenlab-" + name);
        props.put("osgi.http.whiteboard.servlet.asyncSupported", async);
        servlets.add(context.registerService(Servlet.class, servlet, props));
    }

    private static void checkFree(Address a) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(a.host()), a.port()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + a + ": " + e.getMessage()
                    + " (is another runtime serving it? choose another port with --http HOST:PORT)");
        }
    }

    private void configureJetty(Address a) {
        try {
            Configuration c = configAdmin.getConfiguration(JETTY_PID, "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("org.apache.felix.http.enable", true);
            p.put("org.osgi.service.http.port", a.port());
            p.put("org.apache.felix.http.host", a.host());
            p.put("org.apache.felix.https.enable", false);
            p.put("org.apache.felix.http.jetty.sendServerHeader", false);
            c.update(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot configure Felix HTTP Jetty: " + e.getMessage(), e);
        }
    }

    private static void awaitListening(Address a) {
        long deadline = System.currentTimeMillis() + LISTEN_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName(a.host()), a.port()), 200);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Jetty on " + a);
                }
            }
        }
        throw new IllegalStateException("Felix HTTP Jetty did not start listening on " + a + " within "
                + LISTEN_WAIT_MILLIS / 1000 + " s; see the log above");
    }

    @Deactivate
    synchronized void deactivate() {
        context.removeBundleListener(swaps);
        context.removeServiceListener(techniqueChanges);
        for (ServiceRegistration<?> r : servlets) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the framework
            }
        }
        servlets.clear();
        if (serving != null) {
            try {
                Configuration c = configAdmin.getConfiguration(JETTY_PID, "?");
                c.delete(); // Jetty falls back to its framework properties: off
            } catch (IOException | IllegalStateException e) {
                LOG.fine("Jetty configuration not removed: " + e);
            }
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
