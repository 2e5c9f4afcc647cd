package dev.nhi.evidence.listener;

import dev.nhi.access.grant.GrantChangedEvent;
import dev.nhi.evidence.core.GroupCommit;
import dev.nhi.evidence.jpa.ChainHeadEntity;
import dev.nhi.evidence.jpa.EvidenceStore;
import dev.nhi.evidence.ship.FileSink;
import dev.nhi.evidence.ship.HttpSink;
import dev.nhi.evidence.ship.JdbcSink;
import dev.nhi.evidence.ship.NhiEvidenceShipper;
import dev.nhi.evidence.ship.Sink;
import dev.nhi.identity.spi.ClosesBeforeStorage;
import dev.nhi.identity.spi.NhiRecordChangedEvent;
import dev.nhi.identity.spi.NhiSettingsChangedEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.keycloak.Config;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.connections.jpa.JpaConnectionProviderFactory;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.ScheduledTask;
import org.keycloak.timer.TaskRunner;
import org.keycloak.timer.TimerProvider;

/**
 * Event listener {@value #PROVIDER_ID}, on the realms that {@code /nhi/setup} enables it for. Each
 * client-credentials token request's record becomes an outbox row, written by one writer thread together
 * with the rows of the requests that arrived meanwhile (group commit); the request's transaction waits
 * for its row before it commits, so no token leaves without its record. An issued token's record is
 * handed to the writer before the token is signed ({@link IssuedTokenRecord}), a refresh's or refusal's
 * from its event. Identity, grant and settings changes are recorded in their writing transaction, from
 * the layers' events. A cluster-aware task drains the outbox to the sinks.
 */
public final class NhiEvidenceListenerFactory implements EventListenerProviderFactory, ServerInfoAwareProviderFactory,
        ClosesBeforeStorage<EventListenerProvider> {
    public static final String PROVIDER_ID = "nhi-evidence";
    /** Token records waiting for the writer at most; beyond it a token request fails rather than go unrecorded. */
    private static final int TOKEN_RECORDS_QUEUE = 10_000;
    private static final int TOKEN_RECORDS_BATCH = 500;

    private EvidenceConfig config;
    private List<Sink> sinks;
    private NhiEvidenceShipper shipper;
    /** Token records, many requests' in one transaction; each request waits for its own before it commits. */
    private GroupCommit<EvidenceStore.NewRecord> tokenRecords;
    /** The chain heads as the token records' writer last stored them (its thread only). */
    private final EvidenceStore.KnownHeads knownHeads = new EvidenceStore.KnownHeads();

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new EventListenerProvider() {
            @Override
            public void onEvent(Event event) {
                RealmModel realm = session.getContext().getRealm() != null
                        && session.getContext().getRealm().getId().equals(event.getRealmId())
                        ? session.getContext().getRealm() : session.realms().getRealm(event.getRealmId());
                if (realm == null) {
                    return;
                }
                CompletableFuture<Void> stored = IssuedTokenRecord.take(session, event);
                if (stored == null) {
                    Map<String, Object> fields = TokenEvidence.of(session, realm, event);
                    stored = fields == null ? null : submitTokenRecord(realm, fields);
                }
                if (stored != null) {
                    TokenRecordWait.enlist(session, stored, realm.getName(), event.getClientId());
                }
            }

            @Override
            public void onEvent(AdminEvent event, boolean includeRepresentation) {
                if (event.getResourceType() == ResourceType.CLIENT && event.getError() == null) {
                    RealmModel realm = session.realms().getRealm(event.getRealmId());
                    if (realm != null) {
                        new EvidenceStore(session).outbox(realm, ChangeEvidence.client(realm, event));
                        shipper.written();
                    }
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void init(Config.Scope scope) {
        config = EvidenceConfig.from(scope);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        try {
            List<Sink> configured = new ArrayList<>();
            for (String name : config.sinks()) {
                configured.add(switch (name) {
                    case "jdbc" -> new JdbcSink(config.jdbcUrl(), config.jdbcUser(), config.jdbcPassword());
                    case "http" -> new HttpSink(config.httpUrl(), config.httpHmacSecret(),
                            config.cursorDir().resolve("http"));
                    default -> new FileSink(config.fileDir(), config.segmentBytes());
                });
            }
            sinks = List.copyOf(configured);
            KeyPair keys = SigningKeys.load(config);
            shipper = new NhiEvidenceShipper(factory, keys, sinks, config.checkpointRecords(),
                    config.checkpointInterval(), PolicyWatch::observe);
            // A connection of Keycloak's database, outside any Keycloak session: a session per batch would cost
            // more than the batch's insert.
            JpaConnectionProviderFactory database = (JpaConnectionProviderFactory) factory
                    .getProviderFactory(JpaConnectionProvider.class);
            tokenRecords = new GroupCommit<>("nhi-evidence-token-records", TOKEN_RECORDS_QUEUE, TOKEN_RECORDS_BATCH,
                    config.batchWait(), batch -> {
                        try (Connection c = database.getConnection()) {
                            c.setAutoCommit(false);
                            chainAtWrite(c, batch, keys);
                        }
                        shipper.written();
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load or create the evidence signing key: " + e.getMessage(), e);
        }
        factory.register(event -> {
            if (event instanceof NhiRecordChangedEvent changed) {
                record(changed.session(), changed.realm(), ChangeEvidence.identity(changed));
            } else if (event instanceof GrantChangedEvent changed) {
                record(changed.session(), changed.realm(), ChangeEvidence.grant(changed));
            } else if (event instanceof NhiSettingsChangedEvent changed) {
                record(changed.session(), changed.realm(), ChangeEvidence.settings(changed));
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                new EvidenceStore(removed.getKeycloakSession()).forgetRealm(removed.getRealm().getId());
            } else if (event instanceof PostMigrationEvent) {
                long interval = config.drainInterval().toMillis();
                ClusterAwareScheduledTaskRunner drain = new ClusterAwareScheduledTaskRunner(factory, shipper, interval);
                // the node-local gate comes before the cluster-wide claim: an idle node never takes a busy one's turn
                TaskRunner gated = new TaskRunner() {
                    @Override
                    public void run() {
                        if (shipper.due()) {
                            drain.run();
                        }
                    }

                    @Override
                    public ScheduledTask getTask() {
                        return shipper;
                    }
                };
                KeycloakModelUtils.runJobInTransaction(factory, s -> s.getProvider(TimerProvider.class)
                        .schedule(gated, interval));
                NhiEvidenceShipper.DELIVERY.infof("evidence shipping to %s every %d s", config.sinks(),
                        config.drainInterval().toSeconds());
            }
        });
    }

    /**
     * Chains and stores a batch of token records in one transaction. Tried twice: another node's writer, or
     * the drain, may have moved the realm's chain head (or created it) since this writer last saw it.
     */
    private void chainAtWrite(Connection c, List<EvidenceStore.NewRecord> batch, KeyPair keys) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                Map<String, ChainHeadEntity> moved = EvidenceStore.chainAtWrite(c, batch, keys,
                        config.checkpointRecords(), Instant.now(), knownHeads);
                c.commit();
                knownHeads.stored(moved);
                return;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                knownHeads.forget();
                if (attempt == 2) {
                    throw e;
                }
                NhiEvidenceShipper.DELIVERY.debugf("storing %d token records failed, tried again: %s", batch.size(),
                        e.getMessage());
            }
        }
    }

    /** Queues a token record for the writer; the answer completes once it is in the outbox. */
    CompletableFuture<Void> submitTokenRecord(RealmModel realm, Map<String, Object> fields) {
        return tokenRecords.submit(EvidenceStore.newRecord(realm, fields));
    }

    static boolean enabledIn(RealmModel realm) {
        return realm.getEventsListenersStream().anyMatch(PROVIDER_ID::equals);
    }

    /** In the writing transaction, for realms that have the listener enabled. */
    private void record(KeycloakSession session, RealmModel realm, Map<String, Object> fields) {
        if (enabledIn(realm)) {
            new EvidenceStore(session).outbox(realm, fields);
            shipper.written();
        }
    }

    /** Seals and ships what is pending, so that a clean shutdown leaves no unsealed tail. */
    @Override
    public void close() {
        if (tokenRecords != null) {
            tokenRecords.close(TokenRecordWait.TIMEOUT);
        }
        if (shipper != null) {
            try {
                shipper.sealAndShip();
            } catch (RuntimeException e) {
                NhiEvidenceShipper.DELIVERY.warnf("could not seal the evidence chains at shutdown; the next start"
                        + " continues them: %s", e.getMessage());
            }
        }
        for (Sink sink : sinks == null ? List.<Sink>of() : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                NhiEvidenceShipper.DELIVERY.debugf("closing the %s sink: %s", sink.name(), e.getMessage());
            }
        }
    }

    /** The configured sinks, for the status call. */
    public List<Sink> sinks() {
        return sinks;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return EvidenceConfig.PROPERTIES;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("sinks", String.join(",", config.sinks()));
        info.put("file-dir", config.fileDir().toString());
        // without query strings or user info, which may hold credentials
        info.put("jdbc-url", config.jdbcUrl() == null ? "-" : config.jdbcUrl().split("\\?")[0]);
        info.put("http-url", config.httpUrl() == null ? "-" : config.httpUrl().getScheme() + "://"
                + config.httpUrl().getHost() + (config.httpUrl().getPort() < 0 ? "" : ":" + config.httpUrl().getPort())
                + config.httpUrl().getPath());
        info.put("drain-interval", config.drainInterval().toSeconds() + "s");
        return info;
    }
}
