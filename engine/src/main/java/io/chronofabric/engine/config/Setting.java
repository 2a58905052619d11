package io.chronofabric.engine.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import io.chronofabric.engine.api.ConfigurationException;

/**
 * One engine setting, defined once in {@link Settings}: its key as profiles and {@code --set} write it, the type and
 * unit the engine holds it in, its default, how text becomes a value and a value becomes text again, what it accepts,
 * a one-line description, and the check every value passes, however it is set (a profile, {@code --set}, a typed
 * setter of {@link EngineConfiguration.Builder}).
 * <p>
 * A value is held in the unit the code uses, which need not be the unit its key is written in: {@code hold.timeout-ms}
 * is written in milliseconds and held in nanoseconds.
 *
 * @param <T> the type of the value.
 */
public final class Setting<T>
{
    /** Turns text into a value; may throw {@link IllegalArgumentException}, which {@link #parse} reports. */
    @FunctionalInterface
    interface Parser<T>
    {
        T parse(Setting<T> setting, String text);
    }

    private final int index;
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final Parser<T> parser;
    private final Function<T, String> formatter;
    private final String allowed;
    private final String doc;
    private final Predicate<T> valid;
    private final Function<T, Object> shown;

    Setting(final int index, final String name, final Class<T> type, final T defaultValue, final Parser<T> parser,
        final Function<T, String> formatter, final String allowed, final String doc, final Predicate<T> valid,
        final Function<T, Object> shown)
    {
        this.index = index;
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.formatter = Objects.requireNonNull(formatter, "formatter");
        this.allowed = Objects.requireNonNull(allowed, "allowed");
        this.doc = Objects.requireNonNull(doc, "doc");
        this.valid = Objects.requireNonNull(valid, "valid");
        this.shown = Objects.requireNonNull(shown, "shown");
        this.defaultValue = validate(defaultValue);
    }

    /** @return the key, e.g. {@code ring.size}. */
    public String name()
    {
        return name;
    }

    /** @return the type of the value the engine holds. */
    public Class<T> type()
    {
        return type;
    }

    /** @return the built-in default, the {@code dev} profile's value. */
    public T defaultValue()
    {
        return defaultValue;
    }

    /** @return what the key accepts, as messages and {@code profiles show} say it. */
    public String allowed()
    {
        return allowed;
    }

    /** @return a one-line description. */
    public String doc()
    {
        return doc;
    }

    /**
     * @param value a value.
     * @return the value, once checked.
     * @throws ConfigurationException naming the key, the value and what is allowed (null is never allowed).
     */
    public T validate(final T value)
    {
        if (null == value)
        {
            throw new ConfigurationException(name, null, allowed);
        }
        if (!valid.test(value))
        {
            throw new ConfigurationException(name, shown.apply(value), allowed);
        }
        return value;
    }

    /**
     * @param text the value as a profile or {@code --set} writes it.
     * @return the value, checked.
     * @throws ConfigurationException naming the key, the value and what is allowed.
     */
    public T parse(final String text)
    {
        if (null == text)
        {
            throw new ConfigurationException(name, null, allowed);
        }
        final T value;
        try
        {
            value = parser.parse(this, text);
        }
        catch (final ConfigurationException ex)
        {
            throw ex;
        }
        catch (final IllegalArgumentException ex)
        {
            throw new ConfigurationException(name + "=" + text + " is invalid: " + ex.getMessage(), name, ex);
        }
        return validate(value);
    }

    /** @param value a value of this setting. @return it as a profile writes it; {@link #parse} reads it back. */
    public String format(final T value)
    {
        return formatter.apply(value);
    }

    /** @return a rejection of {@code text}, naming the key, the text and what is allowed. */
    ConfigurationException rejected(final String text)
    {
        return new ConfigurationException(name, text, allowed);
    }

    /** @return this setting's position in {@link Settings#all()}. */
    int index()
    {
        return index;
    }

    /** @param value a value of any type. @return it, as this setting's type. */
    T cast(final Object value)
    {
        return type.cast(value);
    }

    @Override
    public String toString()
    {
        return name;
    }
}
