package dev.mpdiag.server.api;

import dev.mpdiag.engine.ChunkSummarizer;
import dev.mpdiag.engine.JvmInfo;
import dev.mpdiag.engine.ProfileType;
import dev.mpdiag.engine.Scope;
import dev.mpdiag.jfr.ChunkSplitter;
import dev.mpdiag.jfr.JfrFormatException;
import dev.mpdiag.jfr.Unpacker;
import dev.mpdiag.server.ApiException;
import dev.mpdiag.server.Ingestor;
import dev.mpdiag.server.query.TimeParam;
import dev.mpdiag.server.store.ProcessIdentity;
import dev.mpdiag.server.store.ProcessMeta;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * POST /api/v1/uploads: .jfr files for post-run analysis (multipart, any field name, or one raw body with
 * ?name=). Each JVM found in them becomes a process of service "upload" (or ?service=), its chunks stored
 * like an agent's uploads so every view works on them.
 */
public final class UploadsApi {
    private static final Scope IDENTITY_ONLY = new Scope(EnumSet.noneOf(ProfileType.class), false, false);
    static final int MAX_FILES = 64;

    private final Ingestor ingestor;
    private final long maxUpload;

    public UploadsApi(Ingestor ingestor, long maxUpload) {
        this.ingestor = ingestor;
        this.maxUpload = maxUpload;
    }

    public void upload(Context ctx) throws IOException {
        Params q = Params.of(ctx);
        q.only("service", "name");
        String service = q.service("service");
        if (service == null) {
            service = "upload";
        }
        List<Map<String, Object>> results = new ArrayList<>();
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (type.startsWith("multipart/form-data")) {
            List<UploadedFile> files = ctx.uploadedFiles();
            if (files.isEmpty()) {
                throw ApiException.badRequest("no files", "the multipart request holds no file");
            }
            if (files.size() > MAX_FILES) {
                throw ApiException.badRequest("too many files", "at most " + MAX_FILES + " per request");
            }
            for (UploadedFile f : files) {
                safeName(f.filename()); // a bad name refuses the request before any of its files is stored
            }
            for (UploadedFile f : files) {
                if (f.size() > maxUpload) {
                    throw new ApiException(413, "too large", f.filename() + " is " + f.size()
                            + " bytes, over the limit of " + maxUpload);
                }
                byte[] bytes;
                try (InputStream in = f.content()) {
                    bytes = in.readNBytes((int) f.size());
                }
                results.add(store(safeName(f.filename()), bytes, service));
            }
        } else {
            String name = q.one("name");
            results.add(store(safeName(name == null ? "upload.jfr" : name), IngestApi.readBody(ctx, maxUpload), service));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("files", results);
        Replies.json(ctx, body);
    }

    /**
     * A file name, kept as a label only (it never names a file on disk). A name with a path part, "..", or
     * control characters is refused: browsers and curl send the bare name, so a path means a crafted request.
     */
    static String safeName(String name) {
        if (name == null || name.isBlank()) {
            return "upload.jfr";
        }
        if (name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")
                || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("bad file name", "'" + TimeParam.abbreviate(name.replaceAll("\\p{Cntrl}", "?"))
                    + "' is not a bare file name (no path, '..' or control characters)");
        }
        return TimeParam.abbreviate(name);
    }

    private Map<String, Object> store(String fileName, byte[] raw, String service) throws IOException {
        ChunkSplitter.Split split;
        ByteBuffer bytes = ByteBuffer.wrap(raw);
        try {
            // .jfr.gz and zipped recordings are unpacked in memory, no larger than the upload limit, so a
            // compressed upload costs the collector what an uncompressed one of the limit's size would.
            Unpacker.Packing packing = Unpacker.packingOf(bytes);
            if (packing != Unpacker.Packing.NONE) {
                bytes = Unpacker.unpack(bytes, packing, maxUpload).bytes();
            }
            split = ChunkSplitter.split(bytes);
        } catch (Unpacker.TooLargeException e) {
            ingestor.rejected.incrementAndGet();
            throw new ApiException(413, "too large", fileName + ": " + e.getMessage()
                    + " (the collector's upload limit; raise it with serve --max-upload)");
        } catch (JfrFormatException e) {
            ingestor.rejected.incrementAndGet();
            throw ApiException.badRequest("not JFR", fileName + ": " + e.getMessage());
        }
        // A file may hold chunks of more than one JVM (files concatenated); each JVM is its own process.
        Map<String, List<ByteBuffer>> byJvm = new LinkedHashMap<>();
        Map<String, ProcessIdentity> identities = new LinkedHashMap<>();
        for (ByteBuffer chunk : split.chunks()) {
            JvmInfo jvm;
            try {
                jvm = ChunkSummarizer.summarize(chunk.duplicate(), IDENTITY_ONLY).jvm;
            } catch (JfrFormatException | RuntimeException e) {
                ingestor.rejected.incrementAndGet();
                throw ApiException.badRequest("bad JFR", fileName + ": " + e.getMessage());
            }
            long start = jvm.startMillis > 0 ? jvm.startMillis : chunk.getLong(32) / 1_000_000L;
            long pid = Math.max(jvm.pid, 0);
            String key = pid + "@" + start;
            identities.computeIfAbsent(key, k -> new ProcessIdentity(service, "upload", pid, start));
            byJvm.computeIfAbsent(key, k -> new ArrayList<>()).add(chunk);
        }
        List<Map<String, Object>> processes = new ArrayList<>();
        for (Map.Entry<String, List<ByteBuffer>> e : byJvm.entrySet()) {
            ProcessIdentity id = identities.get(e.getKey());
            int n = 0;
            int stored = 0;
            List<ByteBuffer> chunks = e.getValue();
            for (ByteBuffer chunk : chunks) {
                n++;
                boolean last = n == chunks.size();
                // The chunk's start time is its sequence number: the same chunk uploaded again (in this file
                // or another of the same JVM) is the same seq, so re-uploading is idempotent.
                long seq = chunk.getLong(32);
                Ingestor.Result r = ingestor.ingest(id, seq, chunk, last, m -> m.kind = ProcessMeta.UPLOAD,
                        m -> m.labels.put("file", fileName));
                stored += r.stored() ? 1 : 0;
            }
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("process", id.id());
            p.put("chunks", chunks.size());
            p.put("stored", stored);
            processes.add(p);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", fileName);
        r.put("bytes", raw.length);
        if (bytes.limit() != raw.length) {
            r.put("unpackedBytes", bytes.limit());
        }
        r.put("warning", split.warning());
        r.put("processes", processes);
        return r;
    }
}
