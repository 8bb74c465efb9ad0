package dev.mpdiag.server;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A single collector's sink: the upload is summarized and stored here, within the ingest admission's room. */
public final class StoreSink implements UploadSink {
    private final Ingestor ingestor;

    public StoreSink(Ingestor ingestor) {
        this.ingestor = ingestor;
    }

    @Override
    public Map<String, Object> accept(AgentUpload upload) throws IOException {
        Ingestor.Result r;
        try (IngestAdmission.Permit room = ingestor.admission.admit()) {
            r = ingestor.ingest(upload);
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("process", r.process());
        reply.put("seq", r.seq());
        reply.put("stored", r.stored());
        reply.put("chunks", r.chunks());
        reply.put("bytes", r.bytes());
        return reply;
    }
}
