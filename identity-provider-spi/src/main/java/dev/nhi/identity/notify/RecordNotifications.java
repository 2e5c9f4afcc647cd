package dev.nhi.identity.notify;

import dev.nhi.identity.core.Lifecycle;
import dev.nhi.identity.core.NhiFlag;
import dev.nhi.identity.core.NhiRecord;
import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.core.NotificationKind;
import dev.nhi.identity.core.RecordQuery;
import dev.nhi.identity.spi.NhiNotificationSource;
import dev.nhi.identity.spi.NhiNotificationSource.Notification;
import dev.nhi.identity.spi.NhiNotificationSourceFactory;
import dev.nhi.identity.spi.NhiStore;
import dev.nhi.identity.spi.StatelessProviderFactory;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The identity layer's notifications: expiry warnings and reviews falling due go to the owner, within
 * {@code expiryWarningDays}; an orphaned record goes to every {@code nhi-admin}.
 */
public final class RecordNotifications implements NhiNotificationSourceFactory,
        StatelessProviderFactory<NhiNotificationSource> {
    public static final String PROVIDER_ID = "nhi-record-notifications";
    private static final int PAGE = 500;

    @Override
    public NhiNotificationSource create(KeycloakSession session) {
        return (realm, settings, now) -> due(session, realm, settings, now);
    }

    private static List<Notification> due(KeycloakSession session, RealmModel realm, NhiSettings settings, Instant now) {
        NhiStore store = session.getProvider(NhiStore.class);
        List<Notification> due = new ArrayList<>();
        for (NhiRecord r : flagged(store, realm, NhiFlag.EXPIRING, settings, now)) {
            due.add(toOwner(NotificationKind.EXPIRY_WARNING, r, "expiresAt", r.expiresAt()));
        }
        // Overdue as of the end of the warning window: due within it, or already overdue.
        for (NhiRecord r : flagged(store, realm, NhiFlag.REVIEW_OVERDUE, settings, now.plus(settings.expiryWarning()))) {
            due.add(toOwner(NotificationKind.REVIEW_DUE, r, "reviewDueAt", Lifecycle.reviewDueAt(r, settings)));
        }
        List<NhiRecord> orphans = flagged(store, realm, NhiFlag.ORPHANED, settings, now);
        if (!orphans.isEmpty()) {
            List<String> admins = NhiMailer.nhiAdminIds(session, realm);
            for (NhiRecord r : orphans) {
                for (String admin : admins) {
                    due.add(new Notification(NotificationKind.ORPHANED, r.id(), admin, page(r),
                            attributes(r, "orphanedAt", r.orphanedAt())));
                }
            }
        }
        return due;
    }

    private static List<NhiRecord> flagged(NhiStore store, RealmModel realm, NhiFlag flag, NhiSettings settings,
                                           Instant at) {
        List<NhiRecord> found = new ArrayList<>();
        for (int first = 0; first < NhiNotificationSource.MAX_CANDIDATES; first += PAGE) {
            List<NhiRecord> page = store.search(realm, new RecordQuery(null, null, null, null, flag, null, first, PAGE),
                    settings, at).records();
            found.addAll(page);
            if (page.size() < PAGE) {
                break;
            }
        }
        return found;
    }

    private static Notification toOwner(NotificationKind kind, NhiRecord r, String dateName, Instant date) {
        return new Notification(kind, r.id(), r.ownerId(), page(r), attributes(r, dateName, date));
    }

    private static String page(NhiRecord r) {
        return "#/nhi/" + r.clientId();
    }

    private static Map<String, Object> attributes(NhiRecord r, String dateName, Instant date) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("clientId", r.clientId());
        attributes.put("recordId", r.id());
        attributes.put("purpose", r.purpose());
        attributes.put("environment", r.environment() == null ? "" : r.environment());
        attributes.put(dateName, date == null ? "" : LocalDate.ofInstant(date, ZoneOffset.UTC).toString());
        return attributes;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
