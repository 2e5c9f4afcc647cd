package dev.nhi.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server in the test JVM (GreenMail) that receives a realm's e-mail, the people's addresses being
 * {@code <username>@example.test}. Closing it stops the server; the realm's SMTP settings stay.
 */
final class Mailbox implements AutoCloseable {
    private final GreenMail smtp;
    final int port;

    private Mailbox(int port) {
        this.port = port;
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    static Mailbox start() {
        return new Mailbox(KeycloakServer.freePort());
    }

    /** Points the realm's SMTP settings at {@code port}, with {@code more} of the realm's settings. */
    static void smtpAt(NhiRealm realm, int port, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(more);
        settings.put("smtpServer", Map.of("host", "127.0.0.1", "port", String.valueOf(port), "from",
                "nhi@example.test", "fromDisplayName", "NHI governance"));
        RealmAdmin.expect(realm.rest.put("/admin/realms/" + realm.name, realm.admin.token(), settings), 204,
                "smtp settings");
    }

    /** Starts a mailbox and points the realm's SMTP settings at it. */
    static Mailbox of(NhiRealm realm) {
        Mailbox mailbox = start();
        smtpAt(realm, mailbox.port, Map.of());
        return mailbox;
    }

    List<MimeMessage> received() {
        return List.of(smtp.getReceivedMessages());
    }

    /** The messages to {@code username} whose subject contains {@code subjectPart}. */
    List<MimeMessage> to(String username, String subjectPart) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getRecipients(Message.RecipientType.TO)[0].toString().equals(username + "@example.test")
                        && m.getSubject().contains(subjectPart);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** The first such message, waited for up to 30 s. */
    MimeMessage awaitOne(String username, String subjectPart) {
        return NhiRealm.await(Duration.ofSeconds(30), () -> to(username, subjectPart), found -> !found.isEmpty(),
                "a message to " + username + " about '" + subjectPart + "'").get(0);
    }

    @Override
    public void close() {
        smtp.stop();
    }
}
