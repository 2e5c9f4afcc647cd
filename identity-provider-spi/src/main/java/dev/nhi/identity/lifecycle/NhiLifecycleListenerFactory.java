package dev.nhi.identity.lifecycle;

import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.scheduled.ClusterAwareScheduledTaskRunner;
import org.keycloak.timer.TimerProvider;

/**
 * Keeps records in step with Keycloak: owners disabled through the admin API are flagged orphaned at
 * once (the sweep catches every other path), removed users orphan their records, removed clients
 * leave decommissioned records, and clients created with {@code nhi.*} attributes are registered.
 * Global, so that no realm can opt out.
 */
public final class NhiLifecycleListenerFactory implements EventListenerProviderFactory,
        ServerInfoAwareProviderFactory {
    public static final String PROVIDER_ID = "nhi-lifecycle";
    private static final Logger LOG = Logger.getLogger(NhiLifecycleListenerFactory.class);

    private NhiLifecycleConfig config;

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return new OwnerWatch(session);
    }

    @Override
    public boolean isGlobal() {
        return true;
    }

    @Override
    public void init(Config.Scope scope) {
        config = NhiLifecycleConfig.from(scope);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        factory.register(event -> onProviderEvent(factory, event));
    }

    private void onProviderEvent(KeycloakSessionFactory factory, ProviderEvent event) {
        if (event instanceof PostMigrationEvent) {
            long interval = config.sweepInterval().toMillis();
            KeycloakModelUtils.runJobInTransaction(factory, s -> s.getProvider(TimerProvider.class).schedule(
                    new ClusterAwareScheduledTaskRunner(factory, new NhiLifecycleSweeper(config.sweepBatch()), interval),
                    interval));
            LOG.infof("NHI lifecycle sweep scheduled every %d s", config.sweepInterval().toSeconds());
        } else if (event instanceof ClientModel.ClientCreationEvent created) {
            AttributeRegistration.created(created.getKeycloakSession(), created.getCreatedClient());
        } else if (event instanceof ClientModel.ClientUpdatedEvent updated) {
            AttributeRegistration.updated(updated.getKeycloakSession(), updated.getUpdatedClient());
        } else if (event instanceof ClientModel.ClientRemovedEvent removed) {
            ClientModel client = removed.getClient();
            new IdentityOperations(removed.getKeycloakSession(), client.getRealm()).clientRemoved(client.getId());
        } else if (event instanceof UserModel.UserRemovedEvent removed) {
            new IdentityOperations(removed.getKeycloakSession(), removed.getRealm())
                    .ownerLost(removed.getUser().getId(), "owner deleted");
        }
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return NhiLifecycleConfig.PROPERTIES;
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of(NhiLifecycleConfig.SWEEP_INTERVAL, String.valueOf(config.sweepInterval().toSeconds()),
                NhiLifecycleConfig.SWEEP_BATCH, String.valueOf(config.sweepBatch()));
    }

    /** Admin events arrive inside the request's transaction, so the orphan flag commits with the change. */
    private static final class OwnerWatch implements EventListenerProvider {
        private static final String USERS_PATH = "users/";
        private final KeycloakSession session;

        OwnerWatch(KeycloakSession session) {
            this.session = session;
        }

        @Override
        public void onEvent(Event event) {
        }

        @Override
        public void onEvent(AdminEvent event, boolean includeRepresentation) {
            if (event.getResourceType() != ResourceType.USER || event.getOperationType() != OperationType.UPDATE
                    || event.getResourcePath() == null || !event.getResourcePath().startsWith(USERS_PATH)) {
                return;
            }
            String userId = event.getResourcePath().substring(USERS_PATH.length());
            if (userId.contains("/")) {
                return;
            }
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
            if (user == null) {
                return;
            }
            IdentityOperations ops = new IdentityOperations(session, realm);
            if (user.isEnabled()) {
                ops.ownerRestored(userId);
            } else {
                ops.ownerLost(userId, "owner disabled");
            }
        }

        @Override
        public void close() {
        }
    }
}
