package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Keycloak's own admin console, in Chromium: the {@code nhi-access-policy} executor's form shows our
 * fields with their help texts, and saving an invalid network shows our message and stores nothing; a valid one saves.
 */
class AdminConsoleIT extends RealmTest {
    private static final String REALM_ADMIN = "rita";

    AdminConsoleIT() {
        super("adminui", "enforce");
    }

    private By field(String label) {
        return By.xpath("//span[normalize-space()='" + label + "']/ancestor::div[contains(concat(' ', normalize-space(@class),"
                + " ' '), ' pf-v5-c-form__group ')][1]//input[not(@type) or @type='text']");
    }

    @Test
    void theExecutorFormShowsOurFieldsWithHelpRefusesAnInvalidNetworkWithOurMessageAndSavesAValidOne() throws Exception {
        String ritaId = realm.admin.createUser(realm.name, REALM_ADMIN, NhiRealm.PASSWORD);
        realm.admin.grantRealmManagementRole(realm.name, ritaId, "realm-admin");
        String profiles = "/admin/realms/" + realm.name + "/client-policies/profiles";
        JsonNode before = realm.rest.get(profiles, realm.admin.token()).json();
        String page = realm.rest.baseUrl() + "/admin/" + realm.name + "/console/#/" + realm.name
                + "/realm-settings/client-policies/nhi/edit-profile/nhi-access-policy";
        try (Browser rita = Browser.open("admin-console").go(page).login(REALM_ADMIN, NhiRealm.PASSWORD)) {
            for (String label : new String[] {"Source networks", "Time windows", "Maximum token lifetime (seconds)",
                    "Allowed client authentication", "Maximum secret age (days)", "Require a current review"}) {
                rita.await(By.xpath("//span[normalize-space()='" + label + "']"));
            }
            rita.click(By.cssSelector("button[aria-label='Source networks']"));
            rita.awaitText(By.tagName("body"), "CIDR notation");
            rita.screenshot("executor-help");
            rita.click(By.cssSelector("button[aria-label='Source networks']"));

            rita.type(field("Source networks"), "10.0.0.0/33");
            rita.click(By.cssSelector("[data-testid='addExecutor-saveBtn']"));
            // Our validation's message, in the console's alert (which fades after a few seconds).
            String alert = rita.textOf(rita.await(By.cssSelector(".pf-v5-c-alert")));
            rita.screenshot("executor-invalid-cidr");
            assertThat(alert).contains("nhi-access-policy: source-cidrs:", "10.0.0.0/33", "invalid prefix length");
            assertThat(realm.rest.get(profiles, realm.admin.token()).json()).isEqualTo(before);

            // A valid network saves, the other fields left empty as the form sends them.
            rita.type(field("Source networks"), "10.0.0.0/8");
            rita.click(By.cssSelector("[data-testid='addExecutor-saveBtn']"));
            rita.await(By.cssSelector(".pf-v5-c-alert.pf-m-success"));
        }
        JsonNode saved = realm.rest.get(profiles, realm.admin.token()).json();
        assertThat(saved.findValues("source-cidrs").toString()).contains("10.0.0.0/8");
    }
}
