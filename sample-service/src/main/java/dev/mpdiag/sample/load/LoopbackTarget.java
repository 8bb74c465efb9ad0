package dev.mpdiag.sample.load;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * An HTTP URL on the IPv4 loopback interface. The load tools refuse any other host: driving load is only ever
 * done against a service on this machine, never across a network.
 */
public record LoopbackTarget(String host, int port, String path) {
    public LoopbackTarget {
        if (!isLoopbackLiteral(host)) {
            throw new IllegalArgumentException("refusing host '" + host + "': load is only driven at 127.0.0.1");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port " + port);
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', got '" + path + "'");
        }
    }

    /** Parses {@code http://127.0.0.1:PORT/path[?query]}. */
    public static LoopbackTarget parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad URL '" + url + "': " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("bad URL '" + url + "': only http:// is supported");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("bad URL '" + url + "': no host");
        }
        int port = uri.getPort() == -1 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path = path + "?" + uri.getRawQuery();
        }
        return new LoopbackTarget(uri.getHost(), port, path);
    }

    /** Only a dotted IPv4 literal in 127.0.0.0/8: a name would need a resolver, and a resolver can lie. */
    static boolean isLoopbackLiteral(String host) {
        if (host == null) {
            return false;
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    public String url() {
        return "http://" + host + ":" + port + path;
    }
}
