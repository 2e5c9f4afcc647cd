package dev.nhi.identity.lifecycle;

import dev.nhi.identity.core.ChangeType;
import dev.nhi.identity.core.InvalidInputException;
import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiKind;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NhiStatus;
import dev.nhi.identity.core.NotFoundException;
import dev.nhi.identity.core.Provenance;
import dev.nhi.identity.core.RecordInput;
import dev.nhi.identity.core.StateConflictException;
import dev.nhi.identity.core.SuspensionCause;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.RealmSettings;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The identity layer's operations on one realm: the domain rules of {@link Lifecycle} plus their
 * effects on Keycloak (a decommissioned client is disabled, its secret rotated, its tokens revoked).
 * Every entry point writes exactly one new version per record it changes.
 */
public final class IdentityOperations {
    private static final Logger LOG = Logger.getLogger(IdentityOperations.class);

    private final KeycloakSession session;
    private final RealmModel realm;
    private final NhiStore store;
    private final NhiSettings settings;

    public IdentityOperations(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
        this.store = session.getProvider(NhiStore.class);
        this.settings = RealmSettings.of(realm);
    }

    public NhiStore store() {
        return store;
    }

    public NhiSettings settings() {
        return settings;
    }

    public NhiRecord require(String clientId) {
        return store.byClientId(realm, clientId)
                .orElseThrow(() -> new NotFoundException("no NHI record for client '" + clientId + "'"));
    }

    public NhiRecord register(RecordInput in, Actor actor) {
        Instant now = Instant.now();
        ClientModel client = realm.getClientByClientId(in.clientId());
        if (client == null) {
            throw new NotFoundException("no client '" + in.clientId() + "' in realm " + realm.getName());
        }
        if (!client.isServiceAccountsEnabled()) {
            throw new InvalidInputException("clientId", "client '" + in.clientId()
                    + "' is not a service-account client (enable 'Service accounts roles' first)");
        }
        if (store.byClientUuid(realm, client.getId()).isPresent()) {
            throw new StateConflictException("client '" + in.clientId() + "' is already registered");
        }
        UserModel owner = person("owner", in.owner());
        String delegatedById = in.delegatedBy() == null ? null : person("delegatedBy", in.delegatedBy()).getId();
        checkGroup(in.ownerGroup());
        Lifecycle.checkExpiry(in.expiresAt(), settings, now);
        Provenance p = in.provenance();
        NhiRecord record = new NhiRecord.Builder()
                .id(UUID.randomUUID().toString())
                .realmId(realm.getId())
                .clientUuid(client.getId())
                .clientId(client.getClientId())
                .kind(in.kind() != null ? in.kind() : NhiKind.SERVICE_ACCOUNT)
                .ownerId(owner.getId())
                .ownerGroup(in.ownerGroup())
                .purpose(in.purpose())
                .environment(in.environment())
                .provenance(new Provenance(p.system(), p.reference(),
                        p.createdBy() != null ? p.createdBy() : actor.name()))
                .delegatedById(delegatedById)
                .status(NhiStatus.ACTIVE)
                .createdAt(now)
                .expiresAt(in.expiresAt())
                .build();
        NhiRecord created = store.create(realm, record, actor.change(ChangeType.REGISTERED, null, now));
        LOG.infof("realm=%s client=%s record=%s registered by %s, owner=%s, expires %s", realm.getName(),
                created.clientId(), created.id(), actor.name(), owner.getUsername(), created.expiresAt());
        return created;
    }

    public NhiRecord change(NhiRecord record, RecordInput in, Actor actor) {
        Instant now = Instant.now();
        NhiRecord.Builder next = Lifecycle.amend(record);
        ChangeType type = ChangeType.UPDATED;
        if (in.owner() != null) {
            UserModel owner = person("owner", in.owner());
            if (!owner.getId().equals(record.ownerId())) {
                next.ownerId(owner.getId()).orphanedAt(null);
                type = ChangeType.OWNER_TRANSFERRED;
            }
        }
        if (in.ownerGroup() != null) {
            checkGroup(in.ownerGroup());
            next.ownerGroup(in.ownerGroup());
        }
        if (in.purpose() != null) {
            next.purpose(in.purpose());
        }
        if (in.environment() != null) {
            next.environment(in.environment());
        }
        if (in.kind() != null) {
            next.kind(in.kind());
        }
        if (in.expiresAt() != null) {
            Lifecycle.checkExpiry(in.expiresAt(), settings, now);
            next.expiresAt(in.expiresAt());
        }
        return store.update(realm, Lifecycle.reviveIfExtended(next.build(), now), actor.change(type, null, now));
    }

    public NhiRecord suspend(NhiRecord record, String reason, Actor actor) {
        Instant now = Instant.now();
        return store.update(realm, Lifecycle.suspend(record, SuspensionCause.MANUAL, now),
                actor.change(ChangeType.SUSPENDED, reason, now));
    }

    public NhiRecord resume(NhiRecord record, String reason, Actor actor) {
        return store.update(realm, Lifecycle.resume(record), actor.change(ChangeType.RESUMED, reason, Instant.now()));
    }

    /** Terminal: the record stays with its history, the client is disabled, its secret rotated, its tokens revoked. */
    public NhiRecord decommission(NhiRecord record, String reason, Actor actor) {
        NhiRecord done = store.update(realm, Lifecycle.decommission(record),
                actor.change(ChangeType.DECOMMISSIONED, reason, Instant.now()));
        ClientModel client = realm.getClientById(record.clientUuid());
        if (client != null) {
            client.setEnabled(false);
            KeycloakModelUtils.generateSecret(client);
            client.setNotBefore(Time.currentTime());
        }
        LOG.infof("realm=%s client=%s record=%s decommissioned by %s: client disabled, secret rotated, tokens revoked",
                realm.getName(), record.clientId(), record.id(), actor.name());
        return done;
    }

    /** An owner's or admin's attestation; "decommission" ends the identity as part of the review. */
    public NhiRecord review(NhiRecord record, boolean keep, String comment, Actor actor) {
        Instant now = Instant.now();
        if (keep) {
            return store.update(realm, Lifecycle.review(record, now), actor.change(ChangeType.REVIEWED, comment, now));
        }
        NhiRecord reviewed = Lifecycle.review(record, now);
        return decommission(reviewed, comment == null ? "decommissioned at review" : comment, actor);
    }

    /** The owner was disabled or deleted: flag every live record they own at once. */
    public int ownerLost(String userId, String why) {
        Instant now = Instant.now();
        int flagged = 0;
        for (NhiRecord record : store.ownedBy(realm, userId)) {
            if (record.orphanedAt() == null) {
                store.update(realm, Lifecycle.orphan(record, now), Actor.SYSTEM.change(ChangeType.ORPHANED, why, now));
                LOG.warnf("realm=%s client=%s record=%s orphaned: %s", realm.getName(), record.clientId(),
                        record.id(), why);
                flagged++;
            }
        }
        return flagged;
    }

    /** The owner is enabled again before anyone transferred ownership: lift the orphan flag. */
    public void ownerRestored(String userId) {
        Instant now = Instant.now();
        for (NhiRecord record : store.ownedBy(realm, userId)) {
            if (record.orphanedAt() != null) {
                store.update(realm, record.toBuilder().orphanedAt(null).build(),
                        Actor.SYSTEM.change(ChangeType.UPDATED, "owner enabled again", now));
            }
        }
    }

    /** The client was deleted from Keycloak: keep its record, decommissioned, with its history. */
    public void clientRemoved(String clientUuid) {
        store.byClientUuid(realm, clientUuid)
                .filter(r -> r.status() != NhiStatus.DECOMMISSIONED)
                .ifPresent(r -> store.update(realm, Lifecycle.decommission(r),
                        Actor.SYSTEM.change(ChangeType.DECOMMISSIONED, "client removed from Keycloak", Instant.now())));
    }

    /**
     * One sweep of the realm: orphans owners that vanished or were disabled outside the admin API,
     * expires records past {@code expiresAt}, suspends orphans past the grace period. At most
     * {@code batch} transitions per run keep the transaction bounded; the rest wait for the next run.
     */
    public int sweep(int batch) {
        Instant now = Instant.now();
        for (String ownerId : store.ownersOfLiveRecords(realm)) {
            UserModel owner = session.users().getUserById(realm, ownerId);
            if (owner == null || !owner.isEnabled()) {
                ownerLost(ownerId, owner == null ? "owner deleted" : "owner disabled");
            }
        }
        int moved = 0;
        for (NhiRecord record : store.awaitingTransition(realm, settings, now, batch)) {
            try {
                if (!now.isBefore(record.expiresAt())) {
                    store.update(realm, Lifecycle.expire(record),
                            Actor.SYSTEM.change(ChangeType.EXPIRED, "expiresAt passed", now));
                } else if (Lifecycle.orphanGraceOver(record, settings, now)) {
                    store.update(realm, Lifecycle.suspend(record, SuspensionCause.ORPHANED, now),
                            Actor.SYSTEM.change(ChangeType.SUSPENDED, "owner lost for longer than orphanGraceDays", now));
                }
                moved++;
            } catch (StateConflictException changedMeanwhile) {
                // Someone changed the record since it was read; the next sweep sees the new version.
                LOG.debugf("realm=%s client=%s record=%s sweep skipped: %s", realm.getName(), record.clientId(),
                        record.id(), changedMeanwhile.getMessage());
            }
        }
        return moved;
    }

    /** A user of this realm by id or username, or null. */
    public UserModel findUser(String ref) {
        UserModel user = session.users().getUserById(realm, ref);
        return user != null ? user : session.users().getUserByUsername(realm, ref);
    }

    /** A human user of this realm, by id or username, enabled. */
    private UserModel person(String field, String ref) {
        UserModel user = findUser(ref);
        if (user == null) {
            throw new InvalidInputException(field, "no user '" + ref + "' in realm " + realm.getName());
        }
        if (user.getServiceAccountClientLink() != null) {
            throw new InvalidInputException(field, field + " must be a person, not a service account");
        }
        if (!user.isEnabled()) {
            throw new InvalidInputException(field, "user '" + user.getUsername() + "' is disabled");
        }
        return user;
    }

    private void checkGroup(String path) {
        if (path != null && KeycloakModelUtils.findGroupByPath(session, realm, path) == null) {
            throw new InvalidInputException("ownerGroup", "no group '" + path + "' in realm " + realm.getName());
        }
    }
}
