package dev.mpdiag.agent;

/** Child-JVM app: calls premain and agentmain with garbage, as a careless -javaagent line would. */
public final class GarbageArgsApp {

    static final String[] GARBAGE = {null, "", "   ", "=,,;;=", "interval=banana", "label.=\u0000\n\u00e9",
        "x".repeat(100_000), "spool.memory=-3,exit.timeout=forever,collector=ftp://x,profile=/no/such.jfc"};

    private GarbageArgsApp() {
    }

    public static void main(String[] args) {
        for (String a : GARBAGE) {
            AgentMain.premain(a, null);
            AgentMain.agentmain(a, null);
        }
        System.out.println("survived=true");
    }
}
