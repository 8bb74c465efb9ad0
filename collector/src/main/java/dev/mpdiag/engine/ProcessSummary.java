package dev.mpdiag.engine;

import java.util.List;

/** The summary of one process, with where its data came from. */
public record ProcessSummary(String id, String label, List<String> sources, Summary summary) {
}
