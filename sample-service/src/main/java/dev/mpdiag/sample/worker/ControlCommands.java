package dev.mpdiag.sample.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpdiag.sample.control.ControlProtocol;
import dev.mpdiag.sample.worker.fault.FaultSwitchboard;
import java.util.LinkedHashMap;
import java.util.Map;

/** The worker's side of {@link ControlProtocol}: one request line in, one reply line out. */
final class ControlCommands {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A reply line, and what to do once it has been sent (null for nothing). */
    record Reply(String line, Runnable then) {
    }

    private final WorkerState state;
    private final FaultSwitchboard faults;
    private final Runnable drain;

    ControlCommands(WorkerState state, FaultSwitchboard faults, Runnable drain) {
        this.state = state;
        this.faults = faults;
        this.drain = drain;
    }

    Reply handle(String line) {
        String[] words = line.trim().split("\\s+");
        String command = words[0];
        if (command.equals(ControlProtocol.STATUS) && words.length == 1) {
            return new Reply(status(), null);
        }
        if (command.equals(ControlProtocol.DRAIN) && words.length == 1) {
            return new Reply(ControlProtocol.OK, drain);
        }
        if (command.equals(ControlProtocol.FAULT)) {
            if (words.length != 3 || !(words[2].equals("on") || words[2].equals("off"))) {
                return err("usage: FAULT <name> on|off");
            }
            if (!faults.set(words[1], words[2].equals("on"))) {
                return err("unknown fault '" + words[1] + "'");
            }
            System.err.printf("worker %d: fault %s %s%n", state.index(), words[1], words[2]);
            return new Reply(ControlProtocol.OK, null);
        }
        return err("unknown command '" + line.trim() + "'");
    }

    private String status() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("index", state.index());
        s.put("pid", state.pid());
        s.put("port", state.port());
        s.put("uptimeMillis", state.uptimeMillis());
        s.put("requests", state.requests());
        s.put("faults", faults.enabled());
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply err(String reason) {
        return new Reply(ControlProtocol.ERR + " " + reason, null);
    }
}
