package dev.mpdiag.sample.worker.fault;

import dev.mpdiag.sample.control.ControlProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/** The planted faults of one worker, in the order of {@link ControlProtocol#FAULTS}, and which are on. */
public final class FaultSwitchboard {
    private final List<Fault> faults;
    /** 1 when the fault at the same position is on. */
    private final AtomicIntegerArray on;

    public FaultSwitchboard(int workerIndex) {
        this(List.of(
                new ContentionFault(),
                new AllocBurstFault(),
                new HeapLeakFault(),
                new ThreadLeakFault(),
                new FdLeakFault(),
                new SlowWorkerFault(workerIndex),
                new CtxStormFault()));
    }

    FaultSwitchboard(List<Fault> faults) {
        List<String> names = faults.stream().map(Fault::name).toList();
        if (!names.equals(ControlProtocol.FAULTS)) {
            throw new IllegalStateException("faults " + names + " do not match ControlProtocol.FAULTS " + ControlProtocol.FAULTS);
        }
        this.faults = List.copyOf(faults);
        this.on = new AtomicIntegerArray(faults.size());
    }

    public List<Fault> faults() {
        return faults;
    }

    /** Switches a fault on or off; false when there is no fault of that name. */
    public boolean set(String name, boolean enabled) {
        int i = ControlProtocol.FAULTS.indexOf(name);
        if (i < 0) {
            return false;
        }
        on.set(i, enabled ? 1 : 0);
        return true;
    }

    /** Names of the faults that are on, in registry order. */
    public List<String> enabled() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            if (on.get(i) == 1) {
                names.add(faults.get(i).name());
            }
        }
        return names;
    }

    /** Runs every fault that is on, on the request's thread. */
    public void onRequest(long seq) throws Exception {
        for (int i = 0; i < faults.size(); i++) {
            if (on.get(i) == 1) {
                faults.get(i).onRequest(seq);
            }
        }
    }
}
