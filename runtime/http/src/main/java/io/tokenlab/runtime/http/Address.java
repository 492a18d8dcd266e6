package io.tokenlab.runtime.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A {@code [HOST:]PORT} to listen on, checked when parsed. */
record Address(String host, int port, boolean loopback) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8421;

    /** Parses {@code PORT}, {@code HOST:PORT}, {@code [v6]:PORT} or the empty string (the default). */
    static Address parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            return of(DEFAULT_HOST, DEFAULT_PORT, s);
        }
        String host = DEFAULT_HOST;
        String port = s;
        int colon = s.lastIndexOf(':');
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw bad(s, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (colon >= 0) {
            if (s.indexOf(':') != colon) {
                throw bad(s, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(s, "'" + port + "' is not a port number");
        }
        if (p < 1 || p > 65535) {
            throw bad(s, "port " + p + " is outside 1..65535");
        }
        return of(host.isEmpty() ? DEFAULT_HOST : host, p, s);
    }

    private static Address of(String host, int port, String text) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return new Address(host, port, a.isLoopbackAddress());
        } catch (UnknownHostException e) {
            throw bad(text, "unknown host '" + host + "'");
        }
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("--http '" + text + "': " + why + "; accepted: PORT, HOST:PORT or "
                + "[IPv6]:PORT (default " + DEFAULT_HOST + ":" + DEFAULT_PORT + ")");
    }

    String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/";
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
