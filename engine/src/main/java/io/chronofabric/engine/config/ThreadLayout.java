package io.chronofabric.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import io.chronofabric.engine.api.Stage;

/**
 * Which stages share a thread. Written as thread groups separated by {@code |}, stages within a group joined by
 * {@code +}, every stage exactly once and in pipeline order:
 * <ul>
 *     <li>{@code journal+sequencer+router+delivery}: one thread runs the whole pipeline (small hosts);</li>
 *     <li>{@code journal|sequencer+router+delivery}: the journal on its own thread;</li>
 *     <li>{@code journal|sequencer|router|delivery}: one thread per stage (hosts with cores to spare).</li>
 * </ul>
 */
public final class ThreadLayout
{
    /** Every stage on one thread. */
    public static final ThreadLayout FUSED = parse("journal+sequencer+router+delivery");
    /** One thread per stage. */
    public static final ThreadLayout PER_STAGE = parse("journal|sequencer|router|delivery");

    /** What a layout accepts, for messages and {@code profiles show}. */
    public static final String ALLOWED = "thread groups separated by '|', stages joined by '+', each of " +
        "journal, sequencer, router, delivery exactly once and in that order, e.g. journal|sequencer+router+delivery";

    private final List<List<Stage>> groups;

    private ThreadLayout(final List<List<Stage>> groups)
    {
        this.groups = groups;
    }

    /**
     * @param spec a layout such as {@code journal|sequencer+router+delivery}.
     * @return the layout.
     * @throws IllegalArgumentException naming the problem and the allowed form.
     */
    public static ThreadLayout parse(final String spec)
    {
        final List<List<Stage>> groups = new ArrayList<>();
        int expected = 0;
        for (final String groupSpec : spec.split("\\|", -1))
        {
            final List<Stage> group = new ArrayList<>();
            for (final String label : groupSpec.split("\\+", -1))
            {
                final Stage stage;
                try
                {
                    stage = Stage.ofLabel(label);
                }
                catch (final IllegalArgumentException ex)
                {
                    throw new IllegalArgumentException("thread layout '" + spec + "': " + ex.getMessage() + "; " + ALLOWED);
                }
                if (stage.ordinal() != expected)
                {
                    throw new IllegalArgumentException("thread layout '" + spec + "' has stage '" + stage.label() +
                        "' out of place; " + ALLOWED);
                }
                expected++;
                group.add(stage);
            }
            groups.add(Collections.unmodifiableList(group));
        }
        if (Stage.values().length != expected)
        {
            throw new IllegalArgumentException("thread layout '" + spec + "' misses stages; " + ALLOWED);
        }
        return new ThreadLayout(Collections.unmodifiableList(groups));
    }

    /**
     * @return the thread groups in pipeline order, each the stages that one thread runs.
     */
    public List<List<Stage>> groups()
    {
        return groups;
    }

    /**
     * @return how many pipeline threads this layout starts.
     */
    public int threadCount()
    {
        return groups.size();
    }

    /**
     * Fuses trailing thread groups until at most {@code threads} remain, so that the journal keeps a thread of its
     * own for as long as possible: {@code journal|sequencer|router|delivery} fused to 2 is
     * {@code journal|sequencer+router+delivery}.
     *
     * @param threads the most threads wanted, at least 1.
     * @return this layout when it already fits, else the fused layout.
     */
    public ThreadLayout fuseTo(final int threads)
    {
        if (threads < 1)
        {
            throw new IllegalArgumentException("a layout needs at least one thread, not " + threads);
        }
        if (groups.size() <= threads)
        {
            return this;
        }
        final List<List<Stage>> fused = new ArrayList<>(groups.subList(0, threads - 1));
        final List<Stage> last = new ArrayList<>();
        groups.subList(threads - 1, groups.size()).forEach(last::addAll);
        fused.add(Collections.unmodifiableList(last));
        return new ThreadLayout(Collections.unmodifiableList(fused));
    }

    /**
     * @param group a group of this layout.
     * @return the thread name for it: {@code cf-} and the stage labels joined by {@code +}.
     */
    public static String threadName(final List<Stage> group)
    {
        final StringBuilder name = new StringBuilder("cf-");
        for (int i = 0; i < group.size(); i++)
        {
            name.append(0 == i ? "" : "+").append(group.get(i).label());
        }
        return name.toString();
    }

    @Override
    public String toString()
    {
        final StringBuilder spec = new StringBuilder();
        for (final List<Stage> group : groups)
        {
            spec.append(0 == spec.length() ? "" : "|").append(threadName(group).substring(3));
        }
        return spec.toString();
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ThreadLayout && ((ThreadLayout)other).groups.equals(groups);
    }

    @Override
    public int hashCode()
    {
        return groups.hashCode();
    }
}
