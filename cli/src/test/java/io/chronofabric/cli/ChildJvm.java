package io.chronofabric.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a JVM of its own for a test: this test JVM's own options (Chronicle's module flags among them),
 * less its agents and any {@code -Dname=} the extra options set again, then the extra options, this JVM's class path,
 * the main class and its arguments.
 */
public final class ChildJvm
{
    private ChildJvm()
    {
    }

    /**
     * @param options JVM options beyond this JVM's own.
     * @param main    the class to run.
     * @param args    its arguments.
     * @return the command line.
     */
    public static List<String> command(final List<String> options, final Class<?> main, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !setAgain(arg, options))
            .toList());
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static boolean setAgain(final String arg, final List<String> options)
    {
        final int equals = arg.indexOf('=');
        return arg.startsWith("-D") && equals > 0 &&
            options.stream().anyMatch(option -> option.startsWith(arg.substring(0, equals + 1)));
    }
}
