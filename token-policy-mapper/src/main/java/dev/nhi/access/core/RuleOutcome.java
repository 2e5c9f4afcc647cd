package dev.nhi.access.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one rule of a policy said about a request.
 *
 * @param rule the rule's name, e.g. {@code source}
 * @param outcome {@code pass}, {@code deny}, or {@code skip} when the policy does not configure the rule
 * @param code the denial code when denied, else null
 * @param message why the rule denied or was skipped; null when it passed
 */
public record RuleOutcome(String rule, String outcome, String code, String message) {

    /** As JSON: {@code {"rule","outcome","code","message"}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rule", rule);
        map.put("outcome", outcome);
        map.put("code", code);
        map.put("message", message);
        return map;
    }

    static RuleOutcome of(String rule, Decision decision) {
        if (decision == null) {
            return new RuleOutcome(rule, "skip", null, "not configured");
        }
        return decision.allowed() ? new RuleOutcome(rule, "pass", null, null)
                : new RuleOutcome(rule, "deny", decision.code().wire(), decision.message());
    }
}
