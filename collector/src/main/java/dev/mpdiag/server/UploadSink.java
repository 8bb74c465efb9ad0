package dev.mpdiag.server;

import java.io.IOException;
import java.util.Map;

/**
 * Where an agent's upload goes once it is read and checked: this collector's store ({@link StoreSink}), or the
 * cluster's log ({@code dev.mpdiag.cluster.KafkaSink}). Returns the JSON-ready acknowledgement; it returns only
 * once the upload is durable, so the agent may drop its copy.
 */
public interface UploadSink {
    Map<String, Object> accept(AgentUpload upload) throws IOException;
}
