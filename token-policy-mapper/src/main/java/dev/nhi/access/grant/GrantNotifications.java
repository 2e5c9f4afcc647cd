package dev.nhi.access.grant;

import dev.nhi.access.core.Grant;
import dev.nhi.access.core.GrantState;
import dev.nhi.access.core.GrantStep;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NotificationKind;
import dev.nhi.identity.notify.NhiMailer;
import dev.nhi.identity.spi.NhiNotificationSource;
import dev.nhi.identity.spi.NhiNotificationSource.Notification;
import dev.nhi.identity.spi.NhiNotificationSourceFactory;
import dev.nhi.identity.spi.StatelessProviderFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The access layer's notifications: a pending grant goes to every {@code nhi-admin} but its requester
 * (who may not approve it), and a decision made in the last day goes to the requester.
 */
public final class GrantNotifications implements NhiNotificationSourceFactory,
        StatelessProviderFactory<NhiNotificationSource> {
    public static final String PROVIDER_ID = "nhi-grant-notifications";
    private static final Duration DECIDED_WITHIN = Duration.ofDays(1);

    @Override
    public NhiNotificationSource create(KeycloakSession session) {
        return (realm, settings, now) -> due(session, realm, settings, now);
    }

    private static List<Notification> due(KeycloakSession session, RealmModel realm, NhiSettings settings,
                                          Instant now) {
        JpaGrants grants = new JpaGrants(session);
        List<Notification> due = new ArrayList<>();
        // a request that lapsed is not brought to anyone's attention any more
        List<Grant> pending = grants.list(realm, GrantState.PENDING, null, null, 0, NhiNotificationSource.MAX_CANDIDATES,
                now, settings.pendingGrantExpiry());
        if (!pending.isEmpty()) {
            List<String> approvers = NhiMailer.nhiAdminIds(session, realm);
            for (Grant g : pending) {
                for (String approver : approvers) {
                    if (!approver.equals(g.requested().actorId())) {
                        due.add(new Notification(NotificationKind.GRANT_PENDING, g.id(), approver, "#/grants",
                                attributes(g, g.requested())));
                    }
                }
            }
        }
        for (Grant g : grants.decidedSince(realm, now.minus(DECIDED_WITHIN), NhiNotificationSource.MAX_CANDIDATES)) {
            if (g.requested().actorId() != null && g.decided() != null) {
                due.add(new Notification(NotificationKind.GRANT_DECIDED, g.id(), g.requested().actorId(), "#/grants",
                        attributes(g, g.decided())));
            }
        }
        return due;
    }

    private static Map<String, Object> attributes(Grant g, GrantStep step) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("clientId", g.clientId());
        attributes.put("grantId", g.id());
        attributes.put("scopes", String.join(" ", g.scopes()));
        attributes.put("durationMinutes", g.durationSeconds() / 60);
        attributes.put("reason", g.reason());
        attributes.put("requestedBy", g.requested().actorName());
        attributes.put("decision", step.state().wire());
        attributes.put("decidedBy", step.actorName() == null ? "" : step.actorName());
        attributes.put("comment", step.comment() == null ? "" : step.comment());
        return attributes;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
