package dev.mpdiag.agent;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** JFR event carrying this process's descriptor, thread, context-switch and RSS counts, read from /proc. */
@Name("mpdiag.ProcessResources")
@Label("Process Resources")
@Category({"mpdiag"})
@Description("Open file descriptors by kind, live OS threads, context switches summed over live threads,"
        + " and resident set size of this process, from Linux /proc. A field is -1 when its /proc source"
        + " could not be read; without /proc the event is not emitted.")
@Period("1 s")
@StackTrace(false)
public final class ProcessResourcesEvent extends Event {

    @Label("File Descriptors")
    @Description("Open file descriptors of any kind (entries in /proc/self/fd)")
    long fdTotal;

    @Label("File Descriptors: Files")
    @Description("Descriptors whose target is a path: regular files, directories, devices, jars")
    long fdFile;

    @Label("File Descriptors: Sockets")
    @Description("Descriptors whose target is socket:[inode]")
    long fdSocket;

    @Label("File Descriptors: Pipes")
    @Description("Descriptors whose target is pipe:[inode]")
    long fdPipe;

    @Label("File Descriptors: Other")
    @Description("Other descriptors, such as anon_inode:[eventpoll] or anon_inode:[eventfd]")
    long fdOther;

    @Label("Threads")
    @Description("Live OS threads of the process (entries in /proc/self/task), Java and native")
    long threads;

    @Label("Voluntary Context Switches")
    @Description("voluntary_ctxt_switches summed over live threads, on every fifth sample (-1 on the others);"
            + " drops when a thread exits, because an exited thread's count leaves /proc with it")
    long ctxVoluntary;

    @Label("Involuntary Context Switches")
    @Description("nonvoluntary_ctxt_switches summed over live threads, on every fifth sample (-1 on the others);"
            + " drops when a thread exits, because an exited thread's count leaves /proc with it")
    long ctxInvoluntary;

    @Label("File Descriptor Limit")
    @Description("The soft limit of open descriptors (Max open files in /proc/self/limits), on every fifth sample"
            + " (-1 on the others, and when unlimited)")
    long fdLimit;

    @Label("Resident Set Size")
    @Description("VmRSS from /proc/self/status")
    @DataAmount(DataAmount.BYTES)
    long rssBytes;
}
