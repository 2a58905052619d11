package io.chronofabric.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.chronofabric.cli.analysis.Diagnostics;
import io.chronofabric.cli.analysis.Finding;

/**
 * Renders a health report ({@code diagnose}, {@code run --diagnose}) as a table for people and as JSON for scripts.
 */
final class HealthReport
{
    private HealthReport()
    {
    }

    /** @param findings the findings, most severe first. @return {@code status} and {@code findings}, for JSON. */
    static Map<String, Object> toMap(final List<Finding> findings)
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        for (final Finding finding : findings)
        {
            final Map<String, Object> map = new LinkedHashMap<>();
            map.put("severity", finding.severity().label());
            map.put("area", finding.area());
            map.put("check", finding.check());
            map.put("summary", finding.summary());
            map.put("fix", finding.fix());
            list.add(map);
        }
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("status", Diagnostics.worst(findings).label());
        report.put("findings", list);
        return report;
    }

    /** @param findings the findings, most severe first. @return one block per finding, the fix indented below. */
    static String toTable(final List<Finding> findings)
    {
        final StringBuilder table = new StringBuilder("ChronoFabric health: ")
            .append(Diagnostics.worst(findings).label()).append(System.lineSeparator());
        for (final Finding finding : findings)
        {
            table.append(String.format("%-8s %-8s %-22s %s%n", finding.severity().label(), finding.area(),
                finding.check(), finding.summary()));
            if (!"none needed".equals(finding.fix()))
            {
                table.append(String.format("%40s fix: %s%n", "", finding.fix()));
            }
        }
        return table.toString();
    }
}
