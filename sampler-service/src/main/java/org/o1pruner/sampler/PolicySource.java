package org.o1pruner.sampler;

import java.util.Optional;

/**
 * Hands the sampler's loop a newer policy between batches (continuous retraining). The loop
 * takes ownership of what it receives and closes the policy it replaces.
 */
@FunctionalInterface
public interface PolicySource {
    /** A verified, loaded policy newer than {@code currentVersion}, if one is ready; never blocks. */
    Optional<Policy> takeNewer(long currentVersion);

    /** A source that never offers anything (follow mode {@code fixed}). */
    static PolicySource none() {
        return v -> Optional.empty();
    }
}
