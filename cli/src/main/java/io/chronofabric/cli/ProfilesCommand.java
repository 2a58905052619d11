package io.chronofabric.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.chronofabric.engine.config.Profiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chronofabric profiles}: lists the named profiles with a one-line description each;
 * {@code profiles show NAME} prints one profile's effective settings.
 */
@Command(name = "profiles", mixinStandardHelpOptions = true, subcommands = ProfileShowCommand.class,
    description = {"List the named profiles (name and description).",
        "'profiles show NAME [--set KEY=VALUE]... [--json]' prints a profile's effective settings and where each " +
            "value came from."})
public final class ProfilesCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print the list as JSON.")
    private boolean json;

    @Override
    public Integer call()
    {
        final List<Map<String, Object>> profiles = new ArrayList<>();
        final List<String> names = Profiles.names();
        for (final String name : names)
        {
            final Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("name", name);
            profile.put("description", Profiles.description(name));
            profile.put("default", name.equals(names.get(0)));
            profiles.add(profile);
        }
        final StringBuilder text = new StringBuilder();
        if (json)
        {
            text.append(Json.render(Map.of("profiles", profiles)));
        }
        else
        {
            for (final Map<String, Object> profile : profiles)
            {
                text.append(String.format("%-12s %s%s%n", profile.get("name"), profile.get("description"),
                    Boolean.TRUE.equals(profile.get("default")) ? " (default)" : ""));
            }
            text.append(String.format("%nchronofabric profiles show NAME    prints a profile's effective settings%n"));
        }
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
