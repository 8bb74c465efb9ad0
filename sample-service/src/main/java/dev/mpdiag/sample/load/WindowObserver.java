package dev.mpdiag.sample.load;

/**
 * Told when the measured window of a load run opens and closes, so CPU of the service's processes can be sampled
 * over exactly the window the latencies come from.
 */
public interface WindowObserver {
    WindowObserver NONE = new WindowObserver() {
        @Override
        public void windowStarted() {
        }

        @Override
        public void windowEnded() {
        }
    };

    void windowStarted();

    void windowEnded();
}
