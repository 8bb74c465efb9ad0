package dev.mpdiag.sample.worker;

/** The plain Java baseline: the same API in one JVM using every core, no supervisor, no control socket. */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) {
        WorkerOptions opts = WorkerMain.parseOrExit(args, false, "serve");
        if (opts.help()) {
            System.out.println(WorkerOptions.SERVE_USAGE);
            return;
        }
        WorkerMain.quietJetty();
        WorkerState state = new WorkerState(0);
        GracefulExit exit = new GracefulExit("serve");
        exit.install();
        exit.server(WorkerMain.startHttp("serve", opts, false, state, WorkerMain.switchboard(opts)));
        System.out.printf("serve pid %d listening on %s:%d with %d cores%s%n", state.pid(), opts.host(), state.port(),
                Runtime.getRuntime().availableProcessors(),
                opts.faults().isEmpty() ? "" : ", faults " + String.join(",", opts.faults()));
    }
}
