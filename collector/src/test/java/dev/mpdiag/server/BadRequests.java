package dev.mpdiag.server;

import static dev.mpdiag.server.CollectorApiTest.agentHeaders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpdiag.testing.Http;
import dev.mpdiag.testing.RawPost;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes bad requests for {@link BadInputFuzzIT}, seeded: broken uploads from real chunks (truncated, a damaged
 * header, garbage after, random flips), random and oversized bodies, broken agent headers, malformed queries on
 * every GET endpoint, and names holding "..", absolute paths or the like. Each knows what its answer must be.
 */
final class BadRequests {
    /** Names the bad requests carry: no file starting with this may appear anywhere. */
    static final String EVIL = "mpdiag-evil";
    private static final List<String> BAD_NAMES = List.of("../../" + EVIL, "/tmp/" + EVIL, "..", "a/../../" + EVIL,
            "x".repeat(300), "", "..\\..\\" + EVIL);
    private static final List<String> GET_ENDPOINTS = List.of("flamegraph", "diff", "series", "locks", "checks", "rules",
            "export/collapsed", "export/speedscope", "export/jfr", "processes");

    private final Random random;
    private final List<byte[]> chunks;
    private final int maxUpload;
    private long pid = 50_000;

    BadRequests(Random random, List<byte[]> chunks, int maxUpload) {
        this.random = random;
        this.chunks = chunks;
        this.maxUpload = maxUpload;
    }

    /** One request: what it is, how to send it, and whether its answer is right (null) or what is wrong. */
    interface Request {
        String kind();

        String what();

        Http.Reply send(Http http) throws Exception;

        String judge(Http.Reply r);
    }

    Request next() {
        int k = random.nextInt(100);
        if (k < 8) {
            return ingest("random-body", randomBytes(random.nextInt(32 * 1024)), 400);
        } else if (k < 18) {
            byte[] c = chunk();
            return ingest("truncated-chunk", Arrays.copyOf(c, 1 + random.nextInt(c.length - 1)), 400);
        } else if (k < 24) {
            byte[] c = chunk().clone();
            c[random.nextInt(4)] ^= (byte) (1 + random.nextInt(255)); // the magic "FLR\0"
            return ingest("bad-magic", c, 400);
        } else if (k < 30) {
            byte[] c = chunk().clone();
            long size = ByteBuffer.wrap(c).getLong(8);
            long wrong = random.nextBoolean() ? size + 1 + random.nextInt(1 << 20) : random.nextInt((int) size);
            ByteBuffer.wrap(c).putLong(8, wrong); // the chunk's declared size
            return ingest("bad-chunk-size", c, 400);
        } else if (k < 35) {
            return ingest("garbage-after-chunk", BadInputFuzzIT.concat(chunk(), randomBytes(1 + random.nextInt(2000))), 400);
        } else if (k < 42) {
            byte[] c = chunk().clone();
            for (int i = 1 + random.nextInt(8); i > 0; i--) {
                c[68 + random.nextInt(c.length - 68)] ^= (byte) (1 + random.nextInt(255));
            }
            return ingest("flipped-bytes", c, 0); // may still be valid JFR: stored or refused, never a 5xx
        } else if (k < 45) {
            // The collector refuses from Content-Length, or once a chunked body passes the cap (RawPost says why
            // java.net.http cannot send these).
            byte[] body = randomBytes(maxUpload + 1 + random.nextInt(maxUpload));
            Map<String, String> h = agentHeaders("fuzz", pid++, 1);
            return random.nextBoolean()
                    ? request("oversized", body.length + " bytes declared", 413,
                            http -> RawPost.declaredTooLarge(http.port(), "/api/v1/ingest", h, body.length))
                    : request("oversized-chunked", body.length + " bytes chunked", 413,
                            http -> RawPost.chunked(http.port(), "/api/v1/ingest", h, body));
        } else if (k < 62) {
            return badHeader();
        } else if (k < 70) {
            return badUpload();
        } else if (k < 88) {
            return badQuery();
        } else if (k < 95) {
            return badMcp();
        } else {
            return badRun();
        }
    }

    private byte[] chunk() {
        return chunks.get(random.nextInt(chunks.size()));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private Request ingest(String kind, byte[] body, int status) {
        Map<String, String> h = agentHeaders("fuzz", pid++, 1);
        return request(kind, body.length + " bytes", status, http -> http.post("/api/v1/ingest", h, body));
    }

    private Request badHeader() {
        Map<String, String> h = agentHeaders("fuzz", pid++, 1);
        String[] broken = switch (random.nextInt(9)) {
            case 0 -> new String[] {"X-Mpdiag-Service", pick(BAD_NAMES)};
            case 1 -> new String[] {"X-Mpdiag-Host", pick(BAD_NAMES)};
            case 2 -> new String[] {"X-Mpdiag-Pid", pick(List.of("abc", "-1", "99999999999999999999", "1.5", ""))};
            case 3 -> new String[] {"X-Mpdiag-Start", pick(List.of("-7", "yesterday", "1e12"))};
            case 4 -> new String[] {"X-Mpdiag-Seq", pick(List.of("0", "-1", "x", "9999999999999999999999"))};
            case 5 -> new String[] {"X-Mpdiag-Labels", pick(List.of("%zz", "a=%", "k=%G1"))};
            case 6 -> new String[] {"X-Mpdiag-Health", pick(List.of("%", "shipped=%x"))};
            case 7 -> new String[] {"X-Mpdiag-Interval", pick(List.of("-5", "abc", "1.5s"))};
            default -> new String[] {"X-Mpdiag-Service", null};
        };
        if (broken[1] == null) {
            h.remove(broken[0]);
        } else {
            h.put(broken[0], broken[1]);
        }
        byte[] body = chunk();
        String what = broken[0] + "=" + (broken[1] == null ? "(missing)" : abbreviate(broken[1]));
        return request("bad-header", what, 400, http -> http.post("/api/v1/ingest", h, body));
    }

    private Request badUpload() {
        String name = pick(List.of("../../" + EVIL, "/tmp/" + EVIL, "a/../../" + EVIL, "..\\..\\" + EVIL)) + ".jfr";
        return switch (random.nextInt(4)) {
            case 0 -> request("upload-bad-name", name, 400,
                    http -> http.postFiles("/api/v1/uploads", Map.of("file", Map.entry(name, chunk()))));
            case 1 -> request("upload-bad-name", "?name=" + name, 400,
                    http -> http.post("/api/v1/uploads?name=" + Http.enc(name), Map.of(), chunk()));
            case 2 -> {
                String service = pick(List.of("../../" + EVIL, "/etc/" + EVIL, "a/b"));
                yield request("upload-bad-service", service, 400, http -> http.post("/api/v1/uploads?service="
                        + Http.enc(service), Map.of(), chunk()));
            }
            default -> {
                byte[] body = randomBytes(random.nextInt(16 * 1024));
                yield request("upload-random", body.length + " bytes", 400,
                        http -> http.postFiles("/api/v1/uploads", Map.of("file", Map.entry("w.jfr", body))));
            }
        };
    }

    private Request badQuery() {
        String endpoint = pick(GET_ENDPOINTS);
        String query = switch (random.nextInt(10)) {
            case 0 -> "from=" + pick(List.of("garbage", "-99999999999999999999", "1e400", "2030-13-45T00:00:00Z", "now-5x"));
            case 1 -> "to=" + pick(List.of("tomorrow", "99999999999999999999999", "--1"));
            case 2 -> "from=1795790060000&to=1795790000000"; // to before from
            case 3 -> "process=" + Http.enc(pick(List.of("../../etc/passwd", "/etc/passwd", "nobody/h/1/2",
                    "fuzz/../../" + EVIL, "x".repeat(500))));
            case 4 -> "service=" + Http.enc(pick(List.of("no-such-service", "../" + EVIL, "/" + EVIL)));
            case 5 -> "type=" + pick(List.of("bogus", "CPU2", "%00"));
            case 6 -> "limit=" + pick(List.of("-1", "1e9", "99999999999", "abc", "2147483648"));
            case 7 -> "minShare=" + pick(List.of("2", "NaN", "-0.5", "x"));
            case 8 -> "metric=" + Http.enc(pick(List.of("../" + EVIL, "nope.metric", "")));
            default -> "split=" + pick(List.of("maybe", "1", "yes"));
        };
        String path = "/api/v1/" + endpoint + "?" + query;
        return request("bad-query", path, 400, http -> http.get(path));
    }

    /** A broken JSON-RPC message to /mcp: answered 200 with a JSON-RPC error of the right code, never a 5xx. */
    private Request badMcp() {
        String call = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":";
        String[] sent = switch (random.nextInt(8)) {
            case 0 -> new String[] {"-32700", new String(randomBytes(1 + random.nextInt(200)), java.nio.charset.StandardCharsets.ISO_8859_1)};
            case 1 -> new String[] {"-32700", pick(List.of("{", "{\"jsonrpc\":", "[{]", "nul"))};
            case 2 -> new String[] {"-32600", pick(List.of("{}", "[]", "\"x\"", "42", "{\"id\":1,\"method\":\"ping\"}",
                    "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
                    "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}"))};
            case 3 -> new String[] {"-32601", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                    + pick(List.of("resources/read", "../" + EVIL, "tools/delete", "")) + "\"}"};
            case 4 -> new String[] {"-32602", call + pick(List.of("{}", "5", "{\"name\":7}", "{\"name\":\"rm\"}",
                    "{\"name\":\"checks\",\"arguments\":[1]}")) + "}"};
            case 5 -> new String[] {"-32602", call + "{\"name\":\"" + pick(List.of("top_frames", "diff", "series", "checks",
                    "locks", "jmc_rules")) + "\",\"arguments\":{\"" + pick(List.of("from", "process", "service", "limit", "type"))
                    + "\":\"" + pick(List.of("../../" + EVIL, "yesterday", "-1", "x".repeat(300), "no/such/1/2")) + "\"}}}"};
            case 6 -> new String[] {"-32602", call + "{\"name\":\"diff\",\"arguments\":{\"a\":{\"process\":[[1]]}}}}"};
            default -> new String[] {"-32602", call + "{\"name\":\"jmc_rules\",\"arguments\":{}}}"};
        };
        int code = Integer.parseInt(sent[0]);
        byte[] body = sent[1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return new Request() {
            public String kind() {
                return "bad-mcp";
            }

            public String what() {
                return abbreviate(sent[1]);
            }

            public Http.Reply send(Http http) throws Exception {
                return http.post("/mcp", Map.of("Content-Type", "application/json"), body);
            }

            public String judge(Http.Reply r) {
                if (r.status() != 200) {
                    return "status " + r.status() + " (want 200 with a JSON-RPC error): " + abbreviate(r.text());
                }
                try {
                    JsonNode j = r.json();
                    JsonNode e = (j.isArray() && j.size() == 1 ? j.get(0) : j).path("error");
                    if (e.path("code").asInt() != code || e.path("message").asText().isEmpty()) {
                        return "want JSON-RPC error " + code + ": " + abbreviate(r.text());
                    }
                } catch (AssertionError e) {
                    return "not JSON: " + r.contentType() + " " + abbreviate(r.text());
                }
                return null;
            }
        };
    }

    private Request badRun() {
        String body = pick(List.of("{not json", "[]", "{\"name\":\"x\"}", "{\"name\":\"x\",\"from\":\"yesterday\",\"to\":1}",
                "{\"name\":\"" + "n".repeat(5000) + "\",\"from\":1,\"to\":2}", "null", "\"\""));
        return request("bad-run", abbreviate(body), 400,
                http -> http.post("/api/v1/runs", Map.of("Content-Type", "application/json"), body.getBytes()));
    }

    /** A request whose answer must be a JSON error with a 4xx status (status 0: 2xx is fine too, never 5xx). */
    private static Request request(String kind, String what, int status, Send send) {
        return new Request() {
            public String kind() {
                return kind;
            }

            public String what() {
                return what;
            }

            public Http.Reply send(Http http) throws Exception {
                return send.send(http);
            }

            public String judge(Http.Reply r) {
                if (status == 0 && r.status() >= 200 && r.status() < 300) {
                    return null;
                }
                boolean statusOk = status == 0 || status == 400 ? r.status() >= 400 && r.status() < 500 : r.status() == status;
                if (!statusOk) {
                    return "status " + r.status() + " (want " + (status == 0 ? "2xx or 4xx" : status == 400 ? "4xx" : status)
                            + "): " + abbreviate(r.text());
                }
                try {
                    JsonNode j = r.json();
                    if (j.path("error").asText().isEmpty() || j.path("detail").asText().isEmpty()) {
                        return "no error and detail: " + abbreviate(r.text());
                    }
                } catch (AssertionError e) {
                    return "not JSON: " + r.contentType() + " " + abbreviate(r.text());
                }
                return null;
            }
        };
    }

    interface Send {
        Http.Reply send(Http http) throws Exception;
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
