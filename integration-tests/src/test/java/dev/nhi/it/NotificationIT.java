package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMailUtil;
import dev.nhi.launcher.RealmAdmin;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Owner and approver e-mails through the realm's SMTP settings, received by a real SMTP server in this
 * JVM (GreenMail). One sweep sends each message; the next sweeps of the day send nothing new.
 */
class NotificationIT extends RealmTest {
    private Mailbox mailbox;
    private String expiring;
    private String orphan;
    private String grantClient;
    private LocalDate expiry;

    NotificationIT() {
        super("mail", "enforce");
    }

    @BeforeAll
    void mailServerAndRecords() throws IOException {
        mailbox = Mailbox.start();
        // Nothing is due before the SMTP settings exist: the records come first, then the mail server.
        expiry = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        expiring = realm.newClient("expiring");
        RealmAdmin.expect(realm.register(NhiRealm.registration(expiring, expiry.atStartOfDay().toInstant(ZoneOffset.UTC))),
                201, "register");
        realm.admin.createUser(realm.name, "oscar", NhiRealm.PASSWORD);
        orphan = realm.registeredClient("orphan", "oscar");
        grantClient = realm.registeredClient("grant");
        // First an SMTP server that is down: the sends fail, and their claims roll back for the next sweep.
        int down;
        try (ServerSocket closed = new ServerSocket(0)) {
            down = closed.getLocalPort();
        }
        smtpAt(down);
        awaitLogLine("realm=" + realm.name + " kind=expiry-warning subject=\\S+ recipient=\\S+ e-mail not sent, the"
                + " next sweep retries");
        smtpAt(mailbox.port);
    }

    private void smtpAt(int port) {
        Mailbox.smtpAt(realm, port, Map.of("internationalizationEnabled", true, "supportedLocales", List.of("en", "de"),
                "defaultLocale", "en"));
    }

    @AfterAll
    void stopMailServer() {
        mailbox.close();
    }

    /** The text/plain and text/html bodies of a multipart message. */
    private static Map<String, String> bodies(MimeMessage message) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        String text = null;
        String html = null;
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                for (int j = 0; j < nested.getCount(); j++) {
                    Part inner = nested.getBodyPart(j);
                    if (inner.isMimeType("text/plain")) {
                        text = (String) inner.getContent();
                    } else if (inner.isMimeType("text/html")) {
                        html = (String) inner.getContent();
                    }
                }
            } else if (part.isMimeType("text/plain")) {
                text = (String) part.getContent();
            } else if (part.isMimeType("text/html")) {
                html = (String) part.getContent();
            }
        }
        assertThat(text).as("text part of " + message.getSubject()).isNotNull();
        assertThat(html).as("html part of " + message.getSubject()).isNotNull();
        return Map.of("text", text, "html", html);
    }

    @Test
    void theOwnerGetsTheExpiryWarningInHtmlAndTextWithTheRecordTheDateAndTheLink() throws Exception {
        // sent once the SMTP server is up, though the first attempts of the day failed
        MimeMessage warning = mailbox.awaitOne(NhiRealm.OWNER, expiring + " expires soon");
        Map<String, String> bodies = bodies(warning);
        String link = "/realms/" + realm.name + "/nhi/console/#/nhi/" + expiring;
        assertThat(bodies.get("text")).contains(expiring, expiry.toString(), link).doesNotContain("<");
        assertThat(bodies.get("html")).contains(expiring, expiry.toString(), "href=\"" + realm.rest.baseUrl() + link + "\"");
    }

    @Test
    void reviewDueOrphanedAndGrantMessagesReachTheirPeopleOnceADay() throws Exception {
        realm.settings(Map.of("reviewIntervalDays", 1));
        try {
            mailbox.awaitOne(NhiRealm.OWNER, "The review of " + grantClient + " is due");
        } finally {
            realm.settings(Map.of("reviewIntervalDays", 90));
        }

        String oscarId = realm.admin.rest().get("/admin/realms/" + realm.name + "/users?username=oscar&exact=true",
                realm.admin.token()).json().get(0).get("id").asText();
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/users/" + oscarId, realm.admin.token(),
                Map.of("enabled", false)), 204, "disable oscar");
        for (String admin : List.of(NhiRealm.ADMIN, NhiRealm.SECOND_ADMIN)) {
            assertThat(bodies(mailbox.awaitOne(admin, orphan + " has no owner")).get("text")).contains(orphan);
        }

        String grantId = RealmAdmin.expect(realm.rest.post(realm.api("/grants"), realm.userToken(NhiRealm.OWNER), Map.of(
                "clientId", grantClient, "scopes", List.of("reports:export"), "durationSeconds", 900,
                "reason", "quarter close")), 201, "grant").json().get("id").asText();
        for (String admin : List.of(NhiRealm.ADMIN, NhiRealm.SECOND_ADMIN)) {
            assertThat(bodies(mailbox.awaitOne(admin, "A grant for " + grantClient)).get("text"))
                    .contains("reports:export", "quarter close", "#/grants");
        }
        assertThat(mailbox.to(NhiRealm.AUDITOR, grantClient)).as("the auditor approves nothing").isEmpty();
        RealmAdmin.expect(realm.rest.post(realm.api("/grants/" + grantId + "/approve"), realm.adminToken(),
                Map.of("comment", "ok for the close")), 200, "approve");
        assertThat(bodies(mailbox.awaitOne(NhiRealm.OWNER, "Your grant for " + grantClient)).get("text"))
                .contains("approved", NhiRealm.ADMIN, "ok for the close");

        // Several more sweeps run (one a second here): nothing is sent twice on the same day.
        int received = mailbox.received().size();
        Thread.sleep(Duration.ofSeconds(5).toMillis());
        assertThat(mailbox.received()).hasSize(received);
        assertThat(mailbox.to(NhiRealm.OWNER, expiring + " expires soon")).hasSize(1);
    }

    @Test
    void aUserWhoChoseGermanGetsGerman() throws Exception {
        String gretaId = realm.admin.createUser(realm.name, "greta", NhiRealm.PASSWORD);
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name + "/users/" + gretaId, realm.admin.token(),
                // A user's PUT replaces the profile's attributes: the e-mail address goes with it.
                Map.of("email", "greta@example.test", "firstName", "Greta", "lastName", "Example",
                        "attributes", Map.of("locale", List.of("de")))), 204, "greta speaks German");
        String clientId = realm.newClient("deutsch");
        Map<String, Object> body = NhiRealm.registration(clientId, Instant.now().plus(3, ChronoUnit.DAYS));
        body.put("owner", "greta");
        RealmAdmin.expect(realm.register(body), 201, "register");
        MimeMessage warning = mailbox.awaitOne("greta", clientId + " läuft bald ab");
        assertThat(GreenMailUtil.getBody(warning)).isNotEmpty();
        assertThat(bodies(warning).get("text")).contains("In der NHI-Konsole öffnen");
    }
}
