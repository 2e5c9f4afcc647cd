package dev.nhi.identity.notify;

import dev.nhi.identity.core.NhiSettings;
import dev.nhi.identity.jpa.NotificationLog;
import dev.nhi.identity.lifecycle.IdentitySetupStep;
import dev.nhi.identity.spi.NhiNotificationSource;
import dev.nhi.identity.spi.NhiNotificationSource.Notification;
import dev.nhi.identity.spi.RealmSettings;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.MessageFormatterMethod;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

/**
 * Sends a realm's due notifications through Keycloak's e-mail sender and the realm's SMTP settings,
 * rendered with the {@value #THEME} e-mail theme in the recipient's locale. Each message is claimed in
 * the notification log and sent in one transaction: a failed send rolls its claim back, and the next
 * sweep tries again.
 */
public final class NhiMailer {
    public static final String THEME = "nhi";
    /** The base URL that setup saw the admin API at; links in messages start with it unless the realm has a frontend URL. */
    public static final String PUBLIC_URL_ATTRIBUTE = "nhi.publicUrl";
    /** A bound on one realm's sweep: the rest go out with the next sweeps. */
    static final int MAX_PER_SWEEP = 100;
    /** Consecutive failures after which a realm's sending stops until the next sweep (its SMTP server is likely down). */
    private static final int MAX_FAILURES = 3;
    private static final Logger LOG = Logger.getLogger(NhiMailer.class);

    private NhiMailer() {
    }

    /** Sends what is due in the realm and not yet sent today; returns how many messages went out. */
    public static int sendDue(KeycloakSessionFactory factory, String realmId, Instant now) {
        String day = NotificationLog.day(now);
        List<Notification> due = new ArrayList<>();
        String[] realmName = {realmId};
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null || isBlank(realm.getSmtpConfig().get("host"))) {
                return;
            }
            realmName[0] = realm.getName();
            s.getContext().setRealm(realm);
            NotificationLog log = new NotificationLog(s);
            log.trim(realmId, now);
            Set<String> sent = log.sentOn(realmId, day);
            NhiSettings settings = RealmSettings.of(realm);
            for (NhiNotificationSource source : s.getAllProviders(NhiNotificationSource.class)) {
                for (Notification n : source.due(realm, settings, now)) {
                    if (due.size() < MAX_PER_SWEEP && !sent.contains(key(realmId, day, n))) {
                        due.add(n);
                    }
                }
            }
        });
        int delivered = 0;
        int failures = 0;
        for (Notification n : due) {
            try {
                if (KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> send(s, realmId, day, n, now))) {
                    delivered++;
                }
                failures = 0;
            } catch (RuntimeException e) {
                LOG.warnf("realm=%s kind=%s subject=%s recipient=%s e-mail not sent, the next sweep retries: %s",
                        realmName[0], n.kind().wire(), n.subjectId(), n.recipientId(), rootMessage(e));
                if (++failures >= MAX_FAILURES) {
                    LOG.warnf("realm=%s %d e-mails failed in a row; the rest wait for the next sweep", realmName[0],
                            failures);
                    break;
                }
            }
        }
        return delivered;
    }

    /** The enabled direct members of the realm role {@code nhi-admin}: the approvers. */
    public static List<String> nhiAdminIds(KeycloakSession session, RealmModel realm) {
        RoleModel role = realm.getRole(IdentitySetupStep.ADMIN_ROLE);
        return role == null ? List.of() : session.users().getRoleMembersStream(realm, role)
                .filter(UserModel::isEnabled).map(UserModel::getId).toList();
    }

    private static boolean send(KeycloakSession s, String realmId, String day, Notification n, Instant now) {
        RealmModel realm = s.realms().getRealm(realmId);
        s.getContext().setRealm(realm);
        UserModel to = s.users().getUserById(realm, n.recipientId());
        if (to == null || !to.isEnabled() || isBlank(to.getEmail())) {
            LOG.debugf("realm=%s kind=%s subject=%s recipient=%s skipped: no enabled user with an e-mail address",
                    realm.getName(), n.kind().wire(), n.subjectId(), n.recipientId());
            return false;
        }
        new NotificationLog(s).claim(key(realmId, day, n), realmId, day, now);
        try {
            Theme theme = s.theme().getTheme(THEME, Theme.Type.EMAIL);
            Locale locale = locale(realm, to);
            Properties messages = theme.getEnhancedMessages(realm, locale);
            String realmName = isBlank(realm.getDisplayName()) ? realm.getName() : realm.getDisplayName();
            Map<String, Object> model = new HashMap<>(n.attributes());
            model.put("msg", new MessageFormatterMethod(locale, messages));
            model.put("realmName", realmName);
            model.put("recipient", isBlank(to.getFirstName()) ? to.getUsername() : to.getFirstName());
            model.put("link", consoleUrl(realm, n.consolePath()));
            String subject = new MessageFormat(messages.getProperty(n.kind().subjectKey(), n.kind().subjectKey()), locale)
                    .format(new Object[] {n.attributes().get("clientId"), realmName});
            FreeMarkerProvider templates = s.getProvider(FreeMarkerProvider.class);
            String text = templates.processTemplate(model, "text/" + n.kind().template(), theme);
            String html = templates.processTemplate(model, "html/" + n.kind().template(), theme);
            s.getProvider(EmailSenderProvider.class).send(realm.getSmtpConfig(), to, subject, text, html);
        } catch (IOException | FreeMarkerException | EmailException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LOG.infof("realm=%s kind=%s subject=%s recipient=%s e-mail sent", realm.getName(), n.kind().wire(),
                n.subjectId(), to.getId());
        return true;
    }

    /** The user's chosen locale when the realm offers it, else the realm's default, else English. */
    static Locale locale(RealmModel realm, UserModel user) {
        if (!realm.isInternationalizationEnabled()) {
            return Locale.ENGLISH;
        }
        String chosen = user.getFirstAttribute(UserModel.LOCALE);
        if (chosen != null && realm.getSupportedLocalesStream().anyMatch(chosen::equals)) {
            return Locale.forLanguageTag(chosen);
        }
        return isBlank(realm.getDefaultLocale()) ? Locale.ENGLISH : Locale.forLanguageTag(realm.getDefaultLocale());
    }

    /** A page of the realm's NHI console: the realm's frontend URL, else what setup saw, then {@code path}. */
    public static String consoleUrl(RealmModel realm, String path) {
        String base = realm.getAttribute("frontendUrl");
        if (isBlank(base)) {
            base = realm.getAttribute(PUBLIC_URL_ATTRIBUTE);
        }
        base = isBlank(base) ? "" : base.replaceAll("/+$", "");
        return base + "/realms/" + URLEncoder.encode(realm.getName(), StandardCharsets.UTF_8) + "/nhi/console/" + path;
    }

    private static String key(String realmId, String day, Notification n) {
        return NotificationLog.key(realmId, day, n.kind().wire(), n.subjectId(), n.recipientId());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
