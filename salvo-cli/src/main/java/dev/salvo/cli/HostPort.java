package dev.salvo.cli;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Parses and prints {@code HOST:PORT} as the commands take and show it: {@code 127.0.0.1:9000},
 * {@code localhost:9000}, {@code [::1]:9000}. IPv6 needs the brackets because its colons would
 * otherwise swallow the port.
 */
final class HostPort {
    private HostPort() {
    }

    /** Looks up every address of a host name (a literal gives itself); replaceable by tests. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** How {@link #parseAll} resolves names: the system resolver, unless a test swapped it. */
    static volatile Resolver resolver = InetAddress::getAllByName;

    /** A {@code HOST:PORT} the user got wrong; the message is one sentence meant for them. */
    static final class BadAddressException extends Exception {
        BadAddressException(String message) {
            super(message);
        }
    }

    /**
     * @param text what the user typed
     * @param allowPortZero whether port 0 ("any free port", for binding) is acceptable
     * @return the resolved address
     * @throws BadAddressException with a one-sentence explanation when {@code text} is not a usable address
     */
    static InetSocketAddress parse(String text, boolean allowPortZero) throws BadAddressException {
        return parseAll(text, allowPortZero).getFirst();
    }

    /**
     * Like {@link #parse}, but with every address the host has, in the resolver's order (for
     * {@code localhost} typically 127.0.0.1 then ::1), so a sender can try the other family when
     * the first refuses.
     *
     * @param text what the user typed
     * @param allowPortZero whether port 0 is acceptable
     * @return the addresses, at least one, without duplicates
     * @throws BadAddressException with a one-sentence explanation when {@code text} is not a usable address
     */
    static List<InetSocketAddress> parseAll(String text, boolean allowPortZero) throws BadAddressException {
        if (text == null || text.isBlank()) {
            throw new BadAddressException("an address is needed, as HOST:PORT (IPv6 as [::1]:PORT)");
        }
        String s = text.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new BadAddressException("'" + text + "' is not [IPv6]:PORT, e.g. [::1]:9000");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new BadAddressException("'" + text + "': only IPv6 addresses go in brackets");
            }
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0) {
                throw new BadAddressException("'" + text + "' has no port; write HOST:PORT, e.g. 127.0.0.1:9000");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new BadAddressException("'" + text + "' looks like IPv6; put the address in brackets, e.g. [::1]:9000");
            }
        }
        if (host.isEmpty()) {
            throw new BadAddressException("'" + text + "' has no host; write HOST:PORT, e.g. 127.0.0.1:9000");
        }
        int p = parsePort(text, port, allowPortZero);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            throw new BadAddressException("cannot resolve host '" + host + "' in '" + text + "'");
        }
        if (addresses == null || addresses.length == 0) {
            throw new BadAddressException("cannot resolve host '" + host + "' in '" + text + "'");
        }
        return java.util.Arrays.stream(addresses).distinct().map(a -> new InetSocketAddress(a, p)).toList();
    }

    private static int parsePort(String text, String port, boolean allowPortZero) throws BadAddressException {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BadAddressException("'" + text + "' has no valid port; it must be a number from "
                    + (allowPortZero ? 0 : 1) + " to 65535");
        }
        int p = Integer.parseInt(port);
        if (p > 65_535 || (p == 0 && !allowPortZero)) {
            throw new BadAddressException("port " + p + " in '" + text + "' is out of range; it must be from "
                    + (allowPortZero ? 0 : 1) + " to 65535");
        }
        return p;
    }

    /**
     * @param address a socket address
     * @return it as the commands print it: {@code 127.0.0.1:9000}, {@code [::1]:9000}; other
     *     kinds of address as their {@code toString}
     */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
            InetAddress a = isa.getAddress();
            return switch (a) {
                case Inet6Address v6 -> "[" + compress(v6) + "]:" + isa.getPort();
                default -> a.getHostAddress() + ":" + isa.getPort();
            };
        }
        return String.valueOf(address);
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0"
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        String scope = address.getScopedInterface() != null ? address.getScopedInterface().getName()
                : address.getScopeId() != 0 ? Integer.toString(address.getScopeId()) : null;
        return scope == null ? sb.toString() : sb + "%" + scope; // toHexString is already lower case
    }
}
