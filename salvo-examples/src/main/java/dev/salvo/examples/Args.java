package dev.salvo.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options, with typed getters and clear errors. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                values.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(a.substring(2), args[++i]);
            } else {
                values.put(a.substring(2), "true");
            }
        }
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    long bytes(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String t = v.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1;
        if (t.endsWith("gib") || t.endsWith("g")) {
            unit = 1L << 30;
        } else if (t.endsWith("mib") || t.endsWith("m")) {
            unit = 1L << 20;
        } else if (t.endsWith("kib") || t.endsWith("k")) {
            unit = 1L << 10;
        }
        try {
            return Long.parseLong(t.replaceAll("[a-z]+$", "")) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a size like 1GiB, 64MiB or 1000, got '" + v + "'");
        }
    }

    /** Parses {@code HOST:PORT}, {@code [V6]:PORT} or {@code :PORT}. */
    InetSocketAddress address(String name, String fallback) throws UnknownHostException {
        String v = get(name, fallback);
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("--" + name + " takes HOST:PORT, got '" + v + "'");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes HOST:PORT, got '" + v + "'");
        }
        return new InetSocketAddress(host.isEmpty() ? InetAddress.getByName("::") : InetAddress.getByName(host), port);
    }
}
