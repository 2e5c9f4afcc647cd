package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The NHI console in a real headless Chromium against the real server: each role logs in through the
 * realm (authorization code with PKCE) and works from the pages; the REST API confirms every change.
 */
class ConsoleIT extends RealmTest {
    ConsoleIT() {
        super("console", "enforce");
    }

    private String consoleUrl() {
        return realm.rest.baseUrl() + "/realms/" + realm.name + "/nhi/console/";
    }

    private Browser loggedIn(String name, String username) {
        Browser browser = Browser.open(name).go(consoleUrl()).login(username, NhiRealm.PASSWORD);
        browser.await(By.id("inventory"));
        return browser;
    }

    /** A record of alice's in an environment of its own, so that a filter finds exactly it. */
    private String recordIn(String environment) {
        String clientId = realm.newClient("console");
        Map<String, Object> body = NhiRealm.registration(clientId, Instant.now().plus(Duration.ofDays(30)));
        body.put("environment", environment);
        RealmAdmin.expect(realm.register(body), 201, "register " + clientId);
        return clientId;
    }

    @Test
    void anAdminFiltersExtendsAnExpirySuspendsAndSeesTheHistory() throws Exception {
        String environment = "env-" + UUID.randomUUID().toString().substring(0, 6);
        String clientId = recordIn(environment);
        recordIn("elsewhere");
        LocalDate newExpiry = LocalDate.now(ZoneOffset.UTC).plusDays(60);
        realm.token(clientId).assertIssued();
        realm.token(clientId).assertIssued();
        NhiRealm.await(Duration.ofSeconds(30), () -> RealmAdmin.expect(realm.rest.get(realm.api("/evidence?type=token.issued"
                + "&clientId=" + clientId), realm.adminToken()), 200, "export").raw().lines().count(), n -> n == 2,
                "both token records in the sink");
        try (Browser bob = loggedIn("admin", NhiRealm.ADMIN)) {
            bob.type(By.id("filter-environment"), environment);
            bob.click(By.id("apply-filters"));
            bob.until(d -> bob.textOf(d.findElement(By.id("inventory-range"))).endsWith(" of 1"), "one match");
            assertThat(bob.driver.findElements(By.cssSelector("#inventory tbody tr"))).hasSize(1);
            bob.screenshot("inventory-filtered");

            bob.click(By.linkText(clientId));
            bob.await(By.id("action-extend"));
            bob.await(By.id("decisions"));
            assertThat(bob.driver.findElements(By.cssSelector("#decisions tbody tr"))).hasSize(2)
                    .allMatch(row -> bob.textOf(row).contains("issued"));
            bob.type(By.id("expiry-date"), "");
            bob.driver.findElement(By.id("expiry-date")).sendKeys(
                    String.format("%02d%02d%d", newExpiry.getMonthValue(), newExpiry.getDayOfMonth(), newExpiry.getYear()));
            bob.click(By.id("action-extend"));
            bob.awaitText(By.id("notice"), "Expiry changed.");
            bob.awaitText(By.cssSelector("dd[data-field='Expires']"), newExpiry.toString());

            bob.type(By.id("lifecycle-reason"), "leaked secret under investigation");
            bob.click(By.id("action-suspend"));
            bob.awaitText(By.id("record-status"), "suspended");
            bob.awaitText(By.cssSelector("#history li[data-change='suspended']"), "leaked secret under investigation");
            bob.screenshot("nhi-detail");
        }
        JsonNode record = realm.record(clientId);
        assertThat(record.get("status").asText()).isEqualTo("suspended");
        assertThat(record.get("expiresAt").asText()).startsWith(newExpiry.toString());
    }

    @Test
    void anOwnerSeesOnlyTheirNhisAttestsAReviewAndRequestsAGrantThatASecondAdminApproves() throws Exception {
        String own = realm.registeredClient("mine");
        realm.admin.createUser(realm.name, "olga", NhiRealm.PASSWORD);
        String others = realm.registeredClient("theirs", "olga");
        try (Browser alice = loggedIn("owner", NhiRealm.OWNER)) {
            alice.awaitText(By.id("nav"), "My NHIs");
            assertThat(alice.driver.findElements(By.linkText(own))).hasSize(1);
            assertThat(alice.driver.findElements(By.linkText(others))).isEmpty();
            alice.screenshot("my-nhis");

            alice.click(By.linkText(own));
            alice.type(By.id("review-comment"), "still exports invoices nightly");
            alice.click(By.id("action-review"));
            alice.awaitText(By.id("notice"), "Review recorded.");
            alice.awaitText(By.cssSelector("#history li[data-change='reviewed']"), "still exports invoices nightly");

            alice.type(By.id("grant-scopes"), "billing:write");
            alice.type(By.id("grant-minutes"), "30");
            alice.type(By.id("grant-reason"), "month-end correction run");
            alice.click(By.id("action-request-grant"));
            alice.awaitText(By.id("notice"), "Grant requested");
            alice.screenshot("nhi-owner-view");
        }
        assertThat(realm.record(own).get("lastReviewedAt").isNull()).isFalse();
        try (Browser dana = loggedIn("approver", NhiRealm.SECOND_ADMIN)) {
            dana.click(By.linkText("Grants"));
            By row = By.cssSelector("#grant-queue tr[data-client-id='" + own + "']");
            dana.await(row);
            dana.screenshot("grant-queue");
            JsonNode pending = realm.rest.get(realm.api("/grants?status=pending&clientId=" + own), realm.adminToken())
                    .json().get("items").get(0);
            assertThat(dana.textOf(dana.driver.findElement(row).findElement(By.cssSelector(".decide-by"))))
                    .as("when the request lapses").contains(pending.get("decideBy").asText().substring(0, 16)
                            .replace('T', ' '));
            dana.driver.findElement(row).findElement(By.cssSelector("input")).sendKeys("fine for month end");
            dana.driver.findElement(row).findElement(By.cssSelector("button.approve")).click();
            dana.awaitText(By.id("notice"), "Grant approved.");
        }
        JsonNode grants = realm.rest.get(realm.api("/grants?clientId=" + own), realm.adminToken()).json();
        assertThat(grants.get("items").get(0).get("status").asText()).isEqualTo("approved");
        assertThat(grants.get("items").get(0).get("decidedBy").get("username").asText()).isEqualTo(NhiRealm.SECOND_ADMIN);
    }

    @Test
    void theRequesterOfAGrantHasNoApproveButtonAndTheServerRefusesThemToo() throws Exception {
        String clientId = realm.registeredClient("self");
        JsonNode grant = RealmAdmin.expect(realm.rest.post(realm.api("/grants"), realm.adminToken(), Map.of(
                "clientId", clientId, "scopes", List.of("ops:write"), "durationSeconds", 600,
                "reason", "my own change")), 201, "grant").json();
        try (Browser bob = loggedIn("requester", NhiRealm.ADMIN)) {
            bob.click(By.linkText("Grants"));
            By row = By.cssSelector("#grant-queue tr[data-grant-id='" + grant.get("id").asText() + "']");
            bob.awaitText(row, "your own request");
            assertThat(bob.driver.findElement(row).findElements(By.cssSelector("button.approve"))).isEmpty();
            bob.screenshot("own-grant");
        }
        RestClient.Reply refused = realm.rest.post(realm.api("/grants/" + grant.get("id").asText() + "/approve"),
                realm.adminToken(), Map.of("comment", "self-approval"));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
    }

    @Test
    void theDashboardDrawsThePostureAndTheExplainToolGivesTheRule() throws Exception {
        String clientId = realm.registeredClient("posture");
        realm.token(clientId).assertIssued();
        try (Browser carol = loggedIn("auditor", NhiRealm.AUDITOR)) {
            carol.click(By.linkText("Dashboard"));
            carol.await(By.cssSelector("svg.chart"));
            assertThat(carol.driver.findElements(By.cssSelector("svg.chart"))).hasSize(3);
            carol.screenshot("dashboard");
            carol.click(By.linkText("Explain"));
            carol.type(By.id("explain-client"), clientId);
            carol.type(By.id("explain-source"), "203.0.113.9");
            carol.click(By.id("explain-run"));
            carol.awaitText(By.id("explain-verdict"), "A token would be issued");
            carol.screenshot("explain");
            // An auditor reads, and gets no buttons that change anything.
            carol.go(consoleUrl() + "#/nhi/" + clientId);
            carol.await(By.id("history"));
            assertThat(carol.driver.findElements(By.id("action-suspend"))).isEmpty();
        }
    }

    @Test
    void theConsoleSetsItsOwnHeadersAndServesOnlyItsFiles() {
        String base = "/realms/" + realm.name + "/nhi/console/";
        RestClient.Reply page = realm.rest.get(base, null);
        assertThat(page.status()).isEqualTo(200);
        var headers = page.response().headers();
        // Keycloak's own CSP would block the page's import map: the console sends its own, with the map's hash.
        assertThat(headers.allValues("Content-Security-Policy")).singleElement().asString()
                .contains("script-src 'self' 'sha256-", "frame-ancestors 'none'");
        assertThat(headers.firstValue("X-Frame-Options")).contains("DENY");
        assertThat(headers.firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(realm.rest.get(base + "vendor/keycloak-js/keycloak.mjs", null).status()).isEqualTo(200);
        assertThat(realm.rest.get(base + "no-such-file.js", null).status()).isEqualTo(404);
        assertThat(realm.rest.get(base + "..%2F..%2Fnhi-console%2Fapp.js", null).status()).isEqualTo(404);
    }

    @Test
    void aFailureShowsAHumanMessage() throws Exception {
        try (Browser bob = loggedIn("errors", NhiRealm.ADMIN)) {
            bob.go(consoleUrl() + "#/nhi/no-such-client");
            bob.awaitText(By.id("error-message"), "Not found");
        }
    }
}
