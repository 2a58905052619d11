package io.chronofabric.node;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;

/**
 * A UDP endpoint a node listens on or reaches a peer at.
 *
 * @param host a host name or IP address.
 * @param port a UDP port, 1..65535.
 */
public record Endpoint(String host, int port)
{
    /** The form {@link #parse} accepts, for error messages. */
    public static final String FORMAT = "HOST:PORT with PORT in [1, 65535], an IPv6 address in brackets ([::1]:PORT)";

    /**
     * @param host a host name or IP address.
     * @param port a UDP port, 1..65535.
     */
    public Endpoint
    {
        // an IPv6 address unbracketed would make an Aeron channel URI that names another port, or none
        if (null == host || host.isBlank() || port < 1 || port > 65_535 ||
            host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]")))
        {
            throw new IllegalArgumentException("endpoint '" + host + ":" + port + "' must be " + FORMAT);
        }
    }

    /**
     * @param text {@code HOST:PORT}.
     * @return the endpoint.
     * @throws IllegalArgumentException naming the text and the allowed form.
     */
    public static Endpoint parse(final String text)
    {
        final int colon = null == text ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1)
        {
            throw new IllegalArgumentException("endpoint '" + text + "' must be " + FORMAT);
        }
        try
        {
            return new Endpoint(text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint '" + text + "' must be " + FORMAT);
        }
    }

    /**
     * @return the endpoint's socket address, its host resolved.
     * @throws IllegalArgumentException when the host is neither an IP address nor a name this host resolves.
     */
    public InetSocketAddress resolve()
    {
        try
        {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("'" + host + "' is not an IP address and resolves to no address; " +
                "allowed: an IP address, or a host name this host resolves");
        }
    }

    /**
     * Checks that a node can listen here: the address is one of this host's, or the wildcard. Whether the port is
     * free is {@link #checkPortFree()}'s to find out, after the node's lock (a second process of the same node holds
     * the port too, and is named as such).
     *
     * @throws IllegalArgumentException naming what is wrong, and what is allowed.
     */
    public void checkListenable()
    {
        final InetAddress address = resolve().getAddress();
        if (!address.isAnyLocalAddress() && !isLocal(address))
        {
            throw new IllegalArgumentException(address.getHostAddress() + " is not an address of this host; " +
                "allowed: an address of one of its network interfaces, or 0.0.0.0");
        }
    }

    /**
     * Checks that the UDP port is free to listen on now, by binding it and letting it go (a node's start binds it
     * again; another process may take it between the two, which its start then finds).
     *
     * @throws ListenPortInUseException when another socket holds it.
     * @throws IllegalArgumentException  when it cannot be bound for another reason, saying which.
     */
    public void checkPortFree()
    {
        try (DatagramChannel probe = DatagramChannel.open())
        {
            probe.bind(resolve());
        }
        catch (final BindException ex)
        {
            throw new ListenPortInUseException(this);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot listen on UDP " + this + ": " + ex.getMessage());
        }
    }

    /**
     * @param other another endpoint.
     * @return true when a node listening here receives what is sent to {@code other}: the same port, and the same
     *     address, or this one is the wildcard and the other an address of this host.
     */
    public boolean receivesFor(final Endpoint other)
    {
        if (port != other.port)
        {
            return false;
        }
        final InetAddress mine = resolve().getAddress();
        final InetAddress theirs = other.resolve().getAddress();
        return mine.equals(theirs) || mine.isAnyLocalAddress() && (theirs.isAnyLocalAddress() || isLocal(theirs));
    }

    private static boolean isLocal(final InetAddress address)
    {
        try
        {
            return address.isLoopbackAddress() || null != NetworkInterface.getByInetAddress(address);
        }
        catch (final SocketException ex)
        {
            return false;
        }
    }

    /** @return the Aeron UDP channel for this endpoint. */
    public String channel()
    {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }

    @Override
    public String toString()
    {
        return host + ":" + port;
    }
}
