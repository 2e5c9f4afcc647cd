package dev.nhi.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.identity.core.NotificationKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** What the jar must hold for the console and the e-mails to work, checked without a server. */
class ThemeFilesTest {
    private static final String EMAIL = "theme/nhi/email/";

    private static InputStream resource(String path) {
        InputStream in = ThemeFilesTest.class.getClassLoader().getResourceAsStream(path);
        assertThat(in).as(path).isNotNull();
        return in;
    }

    private static Properties bundle(String locale) throws IOException {
        Properties messages = new Properties();
        try (InputStream in = resource(EMAIL + "messages/messages_" + locale + ".properties")) {
            messages.load(in);
        }
        return messages;
    }

    @Test
    void everyNotificationKindHasBothTemplatesAndASubjectInEveryLocale() throws IOException {
        Properties english = bundle("en");
        Properties german = bundle("de");
        assertThat(german.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        for (NotificationKind kind : NotificationKind.values()) {
            resource(EMAIL + "html/" + kind.template()).close();
            resource(EMAIL + "text/" + kind.template()).close();
            assertThat(english).containsKey(kind.subjectKey());
        }
        assertThat(NotificationKind.GRANT_PENDING.subjectKey()).isEqualTo("nhiGrantPendingSubject");
        assertThat(NotificationKind.GRANT_PENDING.template()).isEqualTo("nhi-grant-pending.ftl");
    }

    @Test
    void everyConsoleFileIsPackagedAndTheImportMapHashMatchesThePage() throws Exception {
        for (String file : NhiConsoleResource.FILES.keySet()) {
            resource("nhi-console/" + file).close();
        }
        String page;
        try (InputStream in = resource("nhi-console/index.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String map = page.replaceAll("(?s).*<script type=\"importmap\">(.*?)</script>.*", "$1");
        String expected = "'sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(map.getBytes(StandardCharsets.UTF_8))) + "'";
        assertThat(NhiConsoleResource.importMapHash()).isEqualTo(expected);
    }
}
