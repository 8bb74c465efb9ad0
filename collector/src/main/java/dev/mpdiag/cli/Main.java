package dev.mpdiag.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the mpdiag command line. */
@Command(name = "mpdiag", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Profiles and diagnoses multi-process Java services from Java Flight Recorder data.",
        footer = {"", "Exit codes: 0 ok, 1 a --fail-on gate was reached, 2 bad input or usage.",
            "", "Run as java -jar, analyze, flame and diff start a second JVM with",
            "bin/mpdiag's flags, faster for a command of seconds. MPDIAG_NO_RELAUNCH=1",
            "keeps one JVM; MPDIAG_DEBUG=1 prints its command line."})
public final class Main implements Runnable {
    public static final int EXIT_GATE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; tests call this in-process. */
    public static int run(String... args) {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, UNUSED_CONVERTERS);
        }
        CommandLine cl = new CommandLine(new Main());
        addCommands(cl, args.length > 0 ? args[0] : null);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof dev.mpdiag.engine.InputException ie) {
                cmd.getErr().println("mpdiag: " + ie.input + ": " + ie.reason);
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof IllegalArgumentException iae) {
                cmd.getErr().println("mpdiag: " + iae.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof UsageException ue) {
                cmd.getErr().println("mpdiag: " + ue.getMessage());
                return EXIT_BAD_INPUT;
            }
            if (ex instanceof java.io.IOException io) {
                cmd.getErr().println("mpdiag: " + io.getMessage());
                return EXIT_BAD_INPUT;
            }
            cmd.getErr().println("mpdiag: internal error: " + ex);
            if (System.getenv("MPDIAG_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 3;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("mpdiag: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return EXIT_BAD_INPUT;
        });
        return cl.execute(args);
    }

    /**
     * picocli registers converters for java.time and java.sql types by reflection when a CommandLine is made,
     * loading those packages' classes at every start. No option of mpdiag has such a type (durations and sizes
     * are parsed by mpdiag itself), so they are left out.
     */
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    private static final String UNUSED_CONVERTERS = "java\\.time\\..*,java\\.sql\\..*";

    private record NamedCommand(String name, Class<?> type) {
    }

    /** The commands, in the order help lists them. */
    private static final List<NamedCommand> COMMANDS = List.of(new NamedCommand("analyze", AnalyzeCommand.class),
            new NamedCommand("flame", FlameCommand.class), new NamedCommand("diff", DiffCommand.class),
            new NamedCommand("serve", ServeCommand.class), new NamedCommand("help", CommandLine.HelpCommand.class));

    /**
     * Only the command named first, when it is one: picocli builds a command's model from its annotations by
     * reflection when it is added, and a run uses one. With the converters above, a flame run loads 1,551
     * classes instead of 1,716 (BENCHMARKS.md "Start-up"). Help, usage errors and anything else get every
     * command, so listings and suggestions are whole.
     */
    private static void addCommands(CommandLine cl, String first) {
        if (!"help".equals(first)) {
            for (NamedCommand c : COMMANDS) {
                if (c.name().equals(first)) {
                    cl.addSubcommand(c.name(), c.type());
                    return;
                }
            }
        }
        for (NamedCommand c : COMMANDS) {
            cl.addSubcommand(c.name(), c.type());
        }
    }

    /** Bad usage found after parsing (conflicting options, an unwritable output). */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"mpdiag " + (v == null ? "dev" : v)};
        }
    }
}
