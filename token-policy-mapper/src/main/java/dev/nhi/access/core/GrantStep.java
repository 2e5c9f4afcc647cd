package dev.nhi.access.core;

import java.time.Instant;

/**
 * One step in a grant's life: who requested, decided or revoked it, when, and why.
 *
 * @param actorId the Keycloak user id of the actor (null for the system)
 */
public record GrantStep(GrantState state, String actorId, String actorName, String comment, Instant at) {
}
