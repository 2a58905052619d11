package io.chronofabric.affinity.host;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JVM in use: version, vendor, collector, heap and whether the heap is pre-touched.
 */
final class JvmCheck
{
    private static final int MIN_FEATURE = 17;

    private JvmCheck()
    {
    }

    static HostCheckResult jvm()
    {
        final Map<String, Object> facts = new LinkedHashMap<>();
        final int feature = Runtime.version().feature();
        final List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        facts.put("version", System.getProperty("java.version"));
        facts.put("vendor", System.getProperty("java.vendor"));
        facts.put("vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        facts.put("home", System.getProperty("java.home"));
        facts.put("garbage_collectors", ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", ")));
        facts.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        final boolean preTouch = arguments.contains("-XX:+AlwaysPreTouch");
        facts.put("always_pre_touch", preTouch);
        if (feature < MIN_FEATURE)
        {
            return new HostCheckResult("jvm", Verdict.WARN, "Java " + feature + " is older than ChronoFabric needs",
                "install a Java " + MIN_FEATURE + "+ JDK and put its bin/ first on the PATH", facts);
        }
        if (!preTouch)
        {
            return new HostCheckResult("jvm", Verdict.WARN, "Java " + System.getProperty("java.version") + " (" +
                System.getProperty("java.vm.name") + "); the heap is not pre-touched, so the first use of each heap " +
                "page faults during the run", "CHRONOFABRIC_JAVA_OPTS=\"-XX:+AlwaysPreTouch\" (with -Xms equal to " +
                "-Xmx), for measured or production runs", facts);
        }
        return new HostCheckResult("jvm", Verdict.OK, "Java " + System.getProperty("java.version") + " (" +
            System.getProperty("java.vm.name") + "), heap pre-touched", "", facts);
    }
}
