package dev.mpdiag.sample.worker.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mpdiag.sample.control.ControlProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultSwitchboardTest {
    @Test
    void registryHoldsExactlyTheProtocolsFaults() {
        FaultSwitchboard board = new FaultSwitchboard(0);
        assertEquals(ControlProtocol.FAULTS, board.faults().stream().map(Fault::name).toList());
        for (Fault f : board.faults()) {
            assertTrue(f.description().length() > 80, f.name() + " says what a diagnosis should find");
        }
    }

    @Test
    void aRegistryOutOfStepWithTheProtocolIsRejected() {
        assertThrows(IllegalStateException.class, () -> new FaultSwitchboard(List.of(new ContentionFault())));
    }

    @Test
    void switchesByName() throws Exception {
        FaultSwitchboard board = new FaultSwitchboard(0);
        assertTrue(board.enabled().isEmpty());
        assertTrue(board.set("slow-worker", true));
        assertTrue(board.set("contention", true));
        assertEquals(List.of("contention", "slow-worker"), board.enabled());
        assertTrue(board.set("contention", false));
        assertEquals(List.of("slow-worker"), board.enabled());
        assertFalse(board.set("Contention", true));
        assertFalse(board.set("bogus", true));
        board.onRequest(1);
    }
}
