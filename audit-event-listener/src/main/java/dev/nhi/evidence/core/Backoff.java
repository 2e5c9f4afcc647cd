package dev.nhi.evidence.core;

import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter for one failing destination: after the n-th failure in a row the
 * next attempt waits a random time up to {@code min(max, initial * 2^(n-1))}. A success resets it.
 */
public final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public synchronized boolean ready(Instant now) {
        return !now.isBefore(nextAttempt);
    }

    /** Records a failure; answers when the next attempt may be made. */
    public synchronized Instant failed(Instant now) {
        failures++;
        long ceiling = initial.toMillis() << Math.min(failures - 1, 30);
        long bound = Math.min(max.toMillis(), ceiling <= 0 ? max.toMillis() : ceiling);
        nextAttempt = now.plusMillis((long) (random.getAsDouble() * bound));
        return nextAttempt;
    }

    public synchronized void succeeded() {
        failures = 0;
        nextAttempt = Instant.MIN;
    }
}
