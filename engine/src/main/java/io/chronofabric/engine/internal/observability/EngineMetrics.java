package io.chronofabric.engine.internal.observability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;

import io.chronofabric.engine.api.ConfigurationException;
import io.chronofabric.engine.config.Settings;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.exporter.httpserver.HttpErrorHandlingPolicy;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * An engine's Prometheus metrics, served on {@code http://HOST:PORT/metrics} by the Prometheus Java client's HTTP
 * server (content negotiation: Prometheus text, OpenMetrics or protobuf). The engine starts one when
 * {@code metrics.port} is set, listening on {@code metrics.host} (loopback unless told otherwise: the endpoint has
 * no authentication), and stops it on close; an application may also start one itself.
 *
 * <p>Each engine has a registry of its own: the {@code chronofabric_*} families, read at scrape time, plus the
 * process (CPU seconds, resident memory, file descriptors) and JVM metrics (memory, GC, buffer pools, classes, JIT,
 * runtime). The JVM's thread metrics are left out on purpose: they look for deadlocks on every scrape, a
 * stop-the-world VM operation that would pause the pipeline threads.
 */
public final class EngineMetrics implements AutoCloseable
{
    private static final Logger LOG = LogManager.getLogger(EngineMetrics.class);

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final JournalIndex journal;
    private final HTTPServer server;
    /** Set before the server stops: a scrape in flight then loses its connection, which is no error. */
    private volatile boolean closing;

    private EngineMetrics(final MonitoredEngine engine, final PerformanceMonitor monitor, final String host,
        final int port)
    {
        this.journal = new JournalIndex(engine.context().journalDir());
        registry.register(new EngineCollector(engine, monitor, journal));
        ProcessMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        this.server = port < 0 ? null : serve(new HealthHandler(engine), host, port);
    }

    /**
     * Serves an engine's metrics on this machine only ({@value Settings#DEFAULT_METRICS_HOST}).
     *
     * @param engine  the engine.
     * @param monitor its performance monitor (breaches, throughput, flow anomalies).
     * @param port    the TCP port; 0 for any free port (see {@link #port()}).
     * @return the running endpoint; close it to stop serving.
     * @throws ConfigurationException when the port cannot be bound (in use, or privileged).
     */
    public static EngineMetrics serve(final MonitoredEngine engine, final PerformanceMonitor monitor, final int port)
    {
        return serve(engine, monitor, Settings.DEFAULT_METRICS_HOST, port);
    }

    /**
     * Serves an engine's metrics. The endpoint has no authentication: listen beyond loopback only on a trusted
     * network.
     *
     * @param engine  the engine.
     * @param monitor its performance monitor (breaches, throughput, flow anomalies).
     * @param host    the address to listen on, a host name or an IP literal: {@code 127.0.0.1} for this machine
     *                only, {@code 0.0.0.0} for every interface.
     * @param port    the TCP port; 0 for any free port (see {@link #port()}).
     * @return the running endpoint; close it to stop serving.
     * @throws ConfigurationException when the host does not resolve to an address of this machine, or the port
     *     cannot be bound there (in use, or privileged).
     */
    public static EngineMetrics serve(final MonitoredEngine engine, final PerformanceMonitor monitor, final String host,
        final int port)
    {
        return new EngineMetrics(engine, monitor, host, port);
    }

    /**
     * @param engine  the engine.
     * @param monitor its performance monitor.
     * @return the metrics, not served over HTTP: read them with {@link #scrapeText()}.
     */
    public static EngineMetrics unserved(final MonitoredEngine engine, final PerformanceMonitor monitor)
    {
        return new EngineMetrics(engine, monitor, null, -1);
    }

    /**
     * Checks that an endpoint could be served on {@code host:port} now, before anything is created: the host
     * resolves and the port binds there (bound and released at once; another process may still take it before the
     * engine starts, and the engine's start then refuses as before).
     *
     * @param host the address to listen on, a host name or an IP literal.
     * @param port the TCP port, 1 to 65535.
     * @throws ConfigurationException as {@link #serve(MonitoredEngine, PerformanceMonitor, String, int)} would.
     */
    public static void requireServable(final String host, final int port)
    {
        final InetAddress address = address(host);
        try (ServerSocketChannel probe = ServerSocketChannel.open())
        {
            probe.bind(new InetSocketAddress(address, port));
        }
        catch (final IOException ex)
        {
            throw refused(host, port, ex);
        }
    }

    private HTTPServer serve(final HealthHandler health, final String host, final int port)
    {
        final InetAddress address = address(host);
        try
        {
            // with a reporter of ours the client's failures come here instead of java.util.logging's SEVERE + stack
            return HTTPServer.builder().inetAddress(address).port(port).registry(registry)
                .registerHealthHandler(false).defaultHandler(health)
                .errorHandlingPolicy(HttpErrorHandlingPolicy.builder().errorReporter(this::scrapeFailed).build())
                .buildAndStart();
        }
        catch (final IOException ex)
        {
            throw refused(host, port, ex);
        }
    }

    /** A scrape that failed: quiet when close cut it off, else logged (an I/O error with the client in one line). */
    private void scrapeFailed(final Exception ex)
    {
        if (ex instanceof IOException && closing)
        {
            LOG.debug("a scrape in flight when the metrics endpoint stopped was cut off: {}", ex.toString());
        }
        else if (ex instanceof IOException)
        {
            LOG.warn("a scrape's response could not be sent to the client: {}", ex.toString());
        }
        else
        {
            LOG.error("a scrape of the metrics failed", ex);
        }
    }

    private static InetAddress address(final String host)
    {
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException ex)
        {
            throw new ConfigurationException(Settings.METRICS_HOST.name() + "=" + host + " cannot be served: it " +
                "does not resolve (allowed: " + Settings.METRICS_HOST.allowed() + ")", Settings.METRICS_HOST.name(),
                ex);
        }
    }

    private static ConfigurationException refused(final String host, final int port, final IOException ex)
    {
        return new ConfigurationException(Settings.METRICS_PORT.name() + "=" + port + " cannot be served on " +
            Settings.METRICS_HOST.name() + "=" + host + ": " + ex.getMessage() + " (allowed: a free TCP port in " +
            "[1, 65535], or 0 for none, on an address of this machine)", Settings.METRICS_PORT.name(), ex);
    }

    /** @return the port {@code /metrics} is served on, or -1 when not served. */
    public int port()
    {
        return null == server ? -1 : server.getPort();
    }

    /** @return the metrics now, in the Prometheus text format (what a plain {@code curl} of /metrics gets). */
    public String scrapeText()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try
        {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return the registry, for an application that adds metrics of its own to the same endpoint. */
    public PrometheusRegistry registry()
    {
        return registry;
    }

    /** Stops serving; {@link #scrapeText()} still reads the (final) values afterwards. */
    @Override
    public void close()
    {
        if (null != server)
        {
            closing = true;
            server.close();
        }
        journal.close();
    }
}
