package dev.mpdiag.sample.worker;

import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The HTTP side of a worker: Javalin on a Jetty connector of our own, so that SO_REUSEPORT can be set
 * and several worker processes accept on one port. Stopping is graceful: the connector stops
 * accepting and in-flight requests get up to the stop timeout to finish.
 */
final class SampleServer {
    static final long DEFAULT_STOP_MILLIS = 5_000;

    private final Javalin app;
    private boolean stopped;

    private SampleServer(Javalin app) {
        this.app = app;
    }

    /** Starts serving {@code api} on host:port; throws when the port cannot be bound. */
    static SampleServer start(String host, int port, boolean reusePort, SampleApi api) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            // Javalin adds its default connector only when none was added, so this one is the only one.
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(host);
                connector.setPort(port);
                connector.setReuseAddress(true);
                connector.setReusePort(reusePort);
                return connector;
            });
            config.jetty.modifyServer(server -> {
                // Jetty 12 waits for in-flight requests on stop only through a GracefulHandler;
                // Javalin attaches its servlet context inside it.
                server.insertHandler(new GracefulHandler());
                server.setStopTimeout(DEFAULT_STOP_MILLIS);
            });
            api.register(config.routes);
        });
        app.start();
        return new SampleServer(app);
    }

    int port() {
        return app.port();
    }

    /** Stops accepting, lets in-flight requests finish for up to {@code timeoutMillis}, then stops. Idempotent. */
    synchronized void stop(long timeoutMillis) {
        if (stopped) {
            return;
        }
        stopped = true;
        Server server = app.jettyServer().server();
        server.setStopTimeout(timeoutMillis);
        app.stop();
    }
}
