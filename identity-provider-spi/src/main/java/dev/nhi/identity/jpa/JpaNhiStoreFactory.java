package dev.nhi.identity.jpa;

import dev.nhi.identity.spi.ClosesBeforeStorage;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.NhiStoreFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.timer.TimerProvider;

/** The JPA store: owns the node's record cache and usage buffer, and flushes usage periodically. */
public final class JpaNhiStoreFactory implements NhiStoreFactory, ServerInfoAwareProviderFactory, ClosesBeforeStorage<NhiStore> {
    public static final String PROVIDER_ID = "nhi-jpa";
    private static final Logger LOG = Logger.getLogger(JpaNhiStoreFactory.class);
    private static final String FLUSH_TASK = "nhi-usage-flush";

    private NhiStoreConfig config;
    private RecordCache cache;
    private final UsageBuffer usage = new UsageBuffer();
    private KeycloakSessionFactory sessionFactory;

    @Override
    public NhiStore create(KeycloakSession session) {
        return new JpaNhiStore(session, cache, usage);
    }

    @Override
    public void init(Config.Scope scope) {
        config = NhiStoreConfig.from(scope);
        cache = new RecordCache(config.cacheMaxEntries(), config.cacheTtl().toMillis());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.sessionFactory = factory;
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, s -> s.getProvider(TimerProvider.class)
                        .schedule(this::flushUsage, config.usageFlushInterval().toMillis(), FLUSH_TASK));
            } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
                ((JpaNhiStore) create(removed.getKeycloakSession())).deleteRealm(removed.getRealm().getId());
                new NotificationLog(removed.getKeycloakSession()).deleteRealm(removed.getRealm().getId());
            }
        });
    }

    /** Writes coalesced last-use times; on failure they go back into the buffer for the next run. */
    void flushUsage() {
        Map<UsageBuffer.Key, Instant> taken = usage.drain();
        if (taken.isEmpty()) {
            return;
        }
        try {
            KeycloakModelUtils.runJobInTransaction(sessionFactory,
                    s -> ((JpaNhiStore) create(s)).flushUsage(taken));
            LOG.debugf("flushed last-use times of %d clients", taken.size());
        } catch (RuntimeException e) {
            usage.restore(taken);
            LOG.warnf(e, "could not flush last-use times of %d clients; will retry", taken.size());
        }
    }

    @Override
    public void close() {
        if (sessionFactory != null) {
            flushUsage();
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return NhiStoreConfigProperties.ALL;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of(
                NhiStoreConfigProperties.USAGE_FLUSH_INTERVAL, String.valueOf(config.usageFlushInterval().toSeconds()),
                NhiStoreConfigProperties.CACHE_MAX_ENTRIES, String.valueOf(config.cacheMaxEntries()),
                NhiStoreConfigProperties.CACHE_TTL, String.valueOf(config.cacheTtl().toSeconds()),
                "cached-records", String.valueOf(cache.size()));
    }
}
