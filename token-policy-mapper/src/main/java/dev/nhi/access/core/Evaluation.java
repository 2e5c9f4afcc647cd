package dev.nhi.access.core;

import java.util.List;

/**
 * One policy's verdict on a request.
 *
 * @param grant the JIT grant that covers the request's elevated scopes, or null when none was needed
 * @param outcomes every rule's outcome, when asked for ({@link PolicyRules#explain}); empty on the token path
 */
public record Evaluation(Decision decision, Grant grant, List<RuleOutcome> outcomes) {
}
