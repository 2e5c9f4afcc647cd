package dev.nhi.identity.spi;

import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NotificationKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/**
 * One layer's due e-mail notifications, gathered by the lifecycle sweep, which sends each at most once
 * per subject, kind, recipient and day. Each layer contributes a source without the identity layer
 * knowing it.
 */
public interface NhiNotificationSource extends Provider {
    /** At most this many candidates per source and sweep: a bound on the work of one sweep. */
    int MAX_CANDIDATES = 10_000;

    /** What is due in the realm at {@code now}, whether or not it was already sent today. */
    List<Notification> due(RealmModel realm, NhiSettings settings, Instant now);

    @Override
    default void close() {
    }

    /**
     * @param subjectId  the record or grant the message is about
     * @param recipientId a user of the realm
     * @param consolePath the console page that fixes the problem, after {@code /nhi/console/}
     * @param attributes the template's values; {@code clientId} is also the subject line's argument
     */
    record Notification(NotificationKind kind, String subjectId, String recipientId, String consolePath,
                        Map<String, Object> attributes) {
    }
}
