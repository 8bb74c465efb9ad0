package dev.mpdiag.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event: how many of this process's open file descriptors point at paths of one pattern. Emitted with every
 * fifth mpdiag.ProcessResources sample for the few patterns with most descriptors, so a file handle leak names
 * the paths that grow.
 */
@Name("mpdiag.FdPathPattern")
@Label("File Descriptor Path Pattern")
@Category({"mpdiag"})
@Description("Open file descriptors whose target path matches a pattern (runs of digits as #), for the patterns"
        + " with most descriptors, every 5 s, from /proc/self/fd")
@StackTrace(false)
public final class FdPathPatternEvent extends Event {

    @Label("Pattern")
    @Description("The target path with every run of digits replaced by #, cut after 160 characters")
    String pattern;

    @Label("Descriptors")
    @Description("Open descriptors whose target matches the pattern")
    long count;
}
