package io.chronofabric.cli.observability;

import io.chronofabric.engine.internal.Engine;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.chronofabric.engine.ChronoFabric;
import io.chronofabric.engine.api.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.chronofabric.cli.observability.MetricsTestSupport.TYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.chronofabric.engine.internal.observability.EngineMetrics;

/**
 * What /metrics serves passes Prometheus' own linter, {@code promtool check metrics} (parse errors exit 1, lint
 * problems exit 3 and name the metric). Skipped, saying so, where promtool is not installed; .ci/run installs it
 * (Debian package {@code prometheus}).
 */
class PromtoolTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPassPromtoolCheckMetricsWithEveryFamilyPresent() throws Exception
    {
        final Path promtool = promtool();
        assumeTrue(null != promtool, "promtool is not on the PATH: install Debian's prometheus package (as .ci/run " +
            "does) to lint the metrics with Prometheus' own linter");
        try (Engine engine = Engine.start(MetricsTestSupport.context(dir).tracingEnabled(true)
                 .tracingSlowHopMicros(1).monitorIntervalMillis(20));
             EngineMetrics metrics = EngineMetrics.serve(engine, engine.monitor(), 0))
        {
            engine.subscribe(TYPE, message -> { });
            engine.subscribe(TYPE, message ->
            {
                throw new IllegalStateException("always fails: dead letters and retries to export");
            }, RetryPolicy.attempts(2));
            MetricsTestSupport.publish(engine.newPublisher(1), 2_000);
            MetricsTestSupport.awaitDelivered(engine, 2_000);
            MetricsTestSupport.awaitTrue(() -> null != engine.monitor().lastInterval(), 5_000, () -> "no interval");
            final String text = MetricsTestSupport.scrape(metrics.port());
            assertTrue(text.contains("chronofabric_anomalies_total{kind=\"slow_hop\",stage=\"delivery\"}"), text);
            assertTrue(text.contains("chronofabric_throughput_messages_per_second"), text);
            final Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true)
                .start();
            try (OutputStream in = check.getOutputStream())
            {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            }
            assertTrue(check.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
            final String findings = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.exitValue(), () -> "promtool check metrics found problems:\n" + findings);
            assertEquals("", findings.trim(), "promtool prints nothing for clean metrics");
        }
    }

    private static Path promtool() throws IOException
    {
        for (final String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        {
            final Path candidate = Path.of(folder, "promtool");
            if (Files.isExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
