package dev.nhi.identity.spi;

import dev.nhi.identity.core.Change;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.RecordQuery;
import dev.nhi.identity.core.RecordVersion;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * The realm-scoped system of record for machine identities. Every method takes the realm and never
 * returns another realm's data. Every write appends an immutable version and publishes a
 * {@link NhiRecordChangedEvent}.
 */
public interface NhiStore extends Provider {

    Optional<NhiRecord> byClientId(RealmModel realm, String clientId);

    Optional<NhiRecord> byClientUuid(RealmModel realm, String clientUuid);

    /**
     * The token-path lookup: served from a node-local cache that every write, on any node, invalidates.
     * Cheap enough to call on every token request.
     */
    Optional<NhiRecord> cachedByClientUuid(RealmModel realm, String clientUuid);

    RecordPage search(RealmModel realm, RecordQuery query, NhiSettings settings, Instant now);

    /** Every record owned by {@code userId} that is not decommissioned. */
    List<NhiRecord> ownedBy(RealmModel realm, String userId);

    /** For the sweeper: active records past their expiry, or orphaned beyond the grace period, oldest expiry first. */
    List<NhiRecord> awaitingTransition(RealmModel realm, NhiSettings settings, Instant now, int limit);

    /** For the sweeper: owners of records that are live and not yet flagged orphaned. */
    List<String> ownersOfLiveRecords(RealmModel realm);

    NhiRecord create(RealmModel realm, NhiRecord record, Change change);

    /**
     * Stores {@code changed} as the next version. {@code changed.version()} must be the current
     * version (optimistic check under a row lock); otherwise the change is refused.
     */
    NhiRecord update(RealmModel realm, NhiRecord changed, Change change);

    List<RecordVersion> history(RealmModel realm, String recordId);

    Map<NhiStatus, Long> countByStatus(RealmModel realm, Instant now);

    /** Active records expiring in each of the {@code weeks} weeks after {@code now}: the posture chart. */
    long[] expiringPerWeek(RealmModel realm, Instant now, int weeks);

    /** Notes a token issuance; coalesced in memory and flushed in the background (no write per request). */
    void noteUsage(RealmModel realm, String clientUuid, Instant at);

    /** A page of records and the total that matched. */
    record RecordPage(List<NhiRecord> records, long total) {
    }
}
